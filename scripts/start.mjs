// What `npm start` runs: builds the web app when its build is missing or stale, then runs the server.
// Extra arguments (`npm start -- …`) are passed to the server.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './lib/web-build.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

try {
  ensureWebBuild('[start]');
} catch (error) {
  console.error(`[start] ${error.message}`);
  process.exit(1);
}

const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'apps/server/src/server.ts', ...process.argv.slice(2)],
  { cwd: repoRoot, stdio: 'inherit' },
);
const forward = (signal) => server.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
server.on('error', (err) => {
  console.error(`[start] could not start the server: ${err.message}`);
  process.exit(1);
});
server.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
});
