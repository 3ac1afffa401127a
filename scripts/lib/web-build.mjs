// Builds the web console (apps/web/dist) when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
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

/**
 * Runs the Vite build when needed and says why; throws when the build fails.
 * `label` prefixes the messages, e.g. `[start]`.
 */
export function ensureWebBuild(label) {
  const reason = buildReason();
  if (!reason) return;
  console.log(`${label} building the web console: ${reason}`);
  const build = spawnSync('npm', ['run', 'build', '-w', '@kra/web'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.error) throw new Error(`could not run the web build: ${build.error.message}`);
  if (build.status !== 0) throw new Error(`the web build failed (exit code ${build.status ?? build.signal})`);
}
