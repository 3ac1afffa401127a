// What `npm test` runs: installs the Debian packages the suite needs, starts a throwaway PostgreSQL, runs
// Vitest against it, and stops PostgreSQL again. Extra arguments (`npm test -- …`) are passed to Vitest.
//
// Environment:
//   DIALECTS          database dialects the suite runs against (default: sqlite,postgres)
//   KRA_TEST_PG_URL   use this PostgreSQL instead of starting a throwaway one
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startThrowawayPostgres } from './lib/postgres.mjs';
import { ensureDebianPackages } from './lib/system-packages.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestArgs = process.argv.slice(2);
const require = createRequire(import.meta.url);

const SYSTEM_PACKAGES = [
  { name: 'postgresql', binary: '/usr/lib/postgresql/*/bin/initdb' },
  { name: 'chromium', binary: '/usr/bin/chromium' },
  { name: 'prometheus', binary: '/usr/bin/prometheus' },
  { name: 'prometheus', binary: '/usr/bin/promtool' },
  // Chinese glyphs for the browser tests' screenshots (without it every label is an empty box).
  { name: 'fonts-wqy-microhei', file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc' },
];

const timings = [];

/** Runs one phase and prints how long it took, whether it succeeded or not. */
async function phase(name, fn) {
  const started = performance.now();
  let outcome = 'failed';
  try {
    const result = await fn();
    outcome = 'ok';
    return result;
  } finally {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    timings.push(`${name} ${seconds}s${outcome === 'ok' ? '' : ' (failed)'}`);
    console.log(`[test] phase ${name}: ${outcome} in ${seconds}s`);
  }
}

/**
 * Runs `vitest run` with the extra CLI arguments. Vitest's own bin is run with this Node rather than through
 * `npx`, whose intermediate shell would not pass signals on. Without a terminal (CI) Vitest gets its own
 * process group, and SIGINT/SIGTERM go to the whole group so its workers stop too; with a terminal it stays in
 * the foreground group, where Ctrl-C reaches it directly and it can read the keyboard.
 */
function runVitest(env) {
  const vitestBin = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
  const detached = !process.stdin.isTTY;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitestBin, 'run', ...vitestArgs], {
      cwd: repoRoot,
      env,
      stdio: 'inherit',
      detached,
    });
    const forward = (signal) => {
      try {
        if (detached && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(`[test] could not start vitest: ${err.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (os.constants.signals[signal] ?? 0)));
  });
}

async function main() {
  const dialects = process.env.DIALECTS ?? 'sqlite,postgres';
  const wantsPostgres = dialects
    .split(',')
    .map((d) => d.trim())
    .includes('postgres');
  const env = { ...process.env, DIALECTS: dialects };

  await phase('system-packages', () => ensureDebianPackages(SYSTEM_PACKAGES));

  let postgres;
  if (wantsPostgres && !env.KRA_TEST_PG_URL) {
    postgres = await phase('postgres-start', () => startThrowawayPostgres());
    env.KRA_TEST_PG_URL = postgres.url;
    console.log(`[test] throwaway PostgreSQL at ${postgres.url}`);
  } else if (wantsPostgres) {
    console.log(`[test] using the PostgreSQL given in KRA_TEST_PG_URL`);
  }
  console.log(`[test] DIALECTS=${dialects}`);

  let code = 1;
  try {
    code = await phase('vitest', () => runVitest(env));
    console.log(`[test] vitest exited with code ${code}`);
  } finally {
    if (postgres) await phase('postgres-stop', () => postgres.stop());
  }
  return code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error(`[test] ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
}
console.log(`[test] timings: ${timings.join(', ')}`);
process.exit(exitCode);
