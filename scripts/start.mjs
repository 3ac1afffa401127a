// What `npm start` runs: builds the web app when its build is missing or stale, then runs the server.
// Extra arguments (`npm start -- …`) are passed to the server.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = path.join(repoRoot, 'apps/web/dist/index.html');
const buildInputs = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'packages/contracts/src',
];

/** Newest file (by mtime) under the given paths, skipping node_modules; undefined when none exists. */
function newestFile(paths) {
  let newest;
  const visit = (file) => {
    let info;
    try {
      info = statSync(file);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      for (const entry of readdirSync(file)) {
        if (entry !== 'node_modules') visit(path.join(file, entry));
      }
    } else if (!newest || info.mtimeMs > newest.mtimeMs) {
      newest = { file, mtimeMs: info.mtimeMs };
    }
  };
  for (const p of paths) visit(path.join(repoRoot, p));
  return newest;
}

/** Why the web app needs building, or undefined when apps/web/dist is up to date. */
function buildReason() {
  let built;
  try {
    built = statSync(builtIndex).mtimeMs;
  } catch {
    return 'apps/web/dist/index.html is missing';
  }
  const newest = newestFile(buildInputs);
  if (newest && newest.mtimeMs > built) {
    return `${path.relative(repoRoot, newest.file)} is newer than apps/web/dist/index.html`;
  }
  return undefined;
}

const reason = buildReason();
if (reason) {
  console.log(`[start] building the web app: ${reason}`);
  const build = spawnSync('npm', ['run', 'build', '-w', '@kra/web'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.error) {
    console.error(`[start] could not run the web build: ${build.error.message}`);
    process.exit(1);
  }
  if (build.status !== 0) {
    console.error(`[start] the web build failed (exit code ${build.status ?? build.signal})`);
    process.exit(build.status || 1);
  }
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
