// Makes sure the Debian packages the test suite needs are installed.
//
// Each package is checked by one of the binaries it ships. A binary is an absolute path (which may contain
// `*` wildcards in whole path segments, e.g. /usr/lib/postgresql/*/bin/initdb) or a bare command name looked
// up on PATH. Missing packages are installed with apt-get: directly as root, through `sudo -n` otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';

const APT_LISTS_DIR = '/var/lib/apt/lists';
const APT_LISTS_FRESH_MS = 60 * 60 * 1000;
/** How long apt waits for a dpkg/apt lock held by another process before giving up. */
const APT_LOCK_TIMEOUT_S = 900;
/** apt output that means the package lists are stale; worth one `apt-get update` and a retry. */
const STALE_LISTS_PATTERNS = [
  /Unable to locate package/i,
  /has no installation candidate/i,
  /404\s+Not Found/i,
];

/**
 * @param {{ name: string, binary?: string, file?: string }[]} packages each checked by an executable (`binary`) or a data file (`file`) it ships
 * @returns {Promise<void>}
 */
export async function ensureDebianPackages(packages) {
  const missing = await findMissing(packages);
  if (missing.length === 0) return;

  const names = [...new Set(missing.map((p) => p.name))];
  const what = missing.map((p) => `${p.name} (needs ${p.binary ?? p.file})`).join(', ');
  const manual = `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`;

  const runner = pickRunner();
  if (!runner) {
    throw new Error(
      `Missing system packages: ${what}.\n` +
        `Not running as root and passwordless sudo is not available, so they cannot be installed automatically.\n` +
        `Install them with:\n  ${manual}`,
    );
  }

  log(`missing: ${what}; installing ${names.join(' ')} via ${runner.label}`);
  const lockOpt = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_S}`];
  const update = () => runApt(runner, ['update', ...lockOpt]);
  const install = () => runApt(runner, ['install', '-y', '--no-install-recommends', ...lockOpt, ...names]);

  let updated = false;
  if (await aptListsAreFresh()) {
    log(`package lists were updated less than an hour ago; skipping apt-get update`);
  } else {
    await update().then(expectSuccess('apt-get update', manual));
    updated = true;
  }

  let result = await install();
  if (result.code !== 0 && !updated && STALE_LISTS_PATTERNS.some((re) => re.test(result.output))) {
    log(`install failed, package lists may be stale; running apt-get update and retrying once`);
    await update().then(expectSuccess('apt-get update', manual));
    result = await install();
  }
  expectSuccess('apt-get install', manual)(result);

  const stillMissing = await findMissing(packages);
  if (stillMissing.length > 0) {
    throw new Error(
      `apt-get install succeeded but these binaries are still missing: ` +
        stillMissing.map((p) => `${p.binary ?? p.file} (package ${p.name})`).join(', '),
    );
  }
  log(`installed ${names.join(' ')}`);
}

/**
 * Resolves a binary spec to the first existing executable path, or undefined.
 * @param {string} binary absolute path (optionally with `*` segments) or a command name looked up on PATH
 * @returns {Promise<string | undefined>}
 */
export async function findBinary(binary) {
  if (path.isAbsolute(binary)) {
    const matches = await expandWildcards(binary);
    for (const candidate of matches) {
      if (await isExecutable(candidate)) return candidate;
    }
    return undefined;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function findMissing(packages) {
  const missing = [];
  for (const pkg of packages) {
    const present = pkg.file ? await isFile(pkg.file) : await findBinary(pkg.binary);
    if (!present) missing.push(pkg);
  }
  return missing;
}

/** Expands `*` (and other simple wildcard) path segments; returns matches sorted, newest-looking last. */
async function expandWildcards(absPath) {
  const segments = absPath.split('/').filter(Boolean);
  let bases = ['/'];
  for (const segment of segments) {
    const next = [];
    if (!segment.includes('*')) {
      for (const base of bases) next.push(path.join(base, segment));
    } else {
      const re = new RegExp(
        '^' +
          segment
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*') +
          '$',
      );
      for (const base of bases) {
        let entries;
        try {
          entries = await readdir(base);
        } catch {
          continue;
        }
        for (const entry of entries.sort(compareNatural)) {
          if (re.test(entry)) next.push(path.join(base, entry));
        }
      }
    }
    bases = next;
    if (bases.length === 0) break;
  }
  return bases;
}

function compareNatural(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** A package checked by a data file it ships (a font, say) rather than by an executable. */
async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isExecutable(file) {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function aptListsAreFresh() {
  try {
    const [info, entries] = await Promise.all([stat(APT_LISTS_DIR), readdir(APT_LISTS_DIR)]);
    const hasLists = entries.some((e) => e.includes('_Packages'));
    return hasLists && Date.now() - info.mtimeMs < APT_LISTS_FRESH_MS;
  } catch {
    return false;
  }
}

/** @returns {{ label: string, command: string, prefixArgs: string[] } | undefined} */
function pickRunner() {
  const aptEnv = ['DEBIAN_FRONTEND=noninteractive'];
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    return { label: 'apt-get (as root)', command: 'apt-get', prefixArgs: [] };
  }
  const probe = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  if (!probe.error && probe.status === 0) {
    return { label: 'sudo -n apt-get', command: 'sudo', prefixArgs: ['-n', 'env', ...aptEnv, 'apt-get'] };
  }
  return undefined;
}

/** Runs apt-get, streaming every output line with an `[apt]` prefix; resolves with exit code and output. */
function runApt(runner, args) {
  log(`$ apt-get ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(runner.command, [...runner.prefixArgs, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    let output = '';
    const pump = (stream, write) => {
      const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
      rl.on('line', (line) => {
        output += line + '\n';
        write(`[apt] ${line}\n`);
      });
      return new Promise((r) => rl.on('close', r));
    };
    const done = Promise.all([
      pump(child.stdout, (s) => process.stdout.write(s)),
      pump(child.stderr, (s) => process.stderr.write(s)),
    ]);
    child.on('error', (err) => {
      done.then(() => resolve({ code: 127, output: output + String(err) }));
    });
    child.on('close', (code, signal) => {
      done.then(() => resolve({ code: code ?? (signal ? 128 : 1), output }));
    });
  });
}

function expectSuccess(what, manual) {
  return (result) => {
    if (result.code === 0) return result;
    const tail = result.output.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `${what} failed with exit code ${result.code}:\n${tail}\nTo install by hand:\n  ${manual}`,
    );
  };
}

function log(message) {
  console.log(`[system-packages] ${message}`);
}
