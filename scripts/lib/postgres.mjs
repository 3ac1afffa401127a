// Starts a throwaway PostgreSQL server for the test suite: a fresh cluster in a temp dir, listening on a free
// loopback port, tuned for speed over durability, removed again by stop().
//
// Uses Debian's layout (/usr/lib/postgresql/<version>/bin). initdb and postgres refuse to run as root, so when
// this process is root the cluster is owned by, and the commands run as, the `postgres` system user that
// Debian's postgresql package creates.
import { spawn, spawnSync } from 'node:child_process';
import { constants as fsConstants, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { access, chown, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';
const REQUIRED_BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const START_ATTEMPTS = 3;

/**
 * @returns {Promise<{ url: string, stop(): Promise<void> }>}
 */
export async function startThrowawayPostgres() {
  const binDir = await findPostgresBinDir();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const owner = asRoot ? lookupSystemUser('postgres') : undefined;

  const dir = await mkdtemp(path.join(baseTempDir(asRoot), 'kra-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'log');

  /** Builds the command line for a PostgreSQL binary, through runuser when we are root. */
  const command = (name, args) =>
    asRoot
      ? { file: 'runuser', args: ['-u', 'postgres', '--', path.join(binDir, name), ...args] }
      : { file: path.join(binDir, name), args };
  const run = (name, args) => {
    const c = command(name, args);
    return runCapture(c.file, c.args, dir);
  };
  const runSync = (name, args) => {
    const c = command(name, args);
    return spawnSync(c.file, c.args, { cwd: dir, stdio: 'ignore', env: pgEnv(), timeout: 30_000 });
  };

  let port;
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);

    const init = await run('initdb', [
      '-D',
      dataDir,
      '-U',
      'kra',
      '-A',
      'trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    if (init.code !== 0) {
      throw new Error(
        `initdb (${binDir}) failed with exit code ${init.code}:\n${tailLines(init.output, 30)}`,
      );
    }

    for (let attempt = 1; ; attempt++) {
      port = await freeLoopbackPort();
      const options = [
        `-p ${port}`,
        `-k ${shellQuote(dir)}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      const start = await run('pg_ctl', [
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '120',
        '-o',
        options,
        'start',
      ]);
      if (start.code === 0) break;

      const serverLog = await readTail(logFile, 40);
      const portTaken = /could not bind|address already in use|could not create any TCP\/IP sockets/i.test(
        serverLog,
      );
      if (portTaken && attempt < START_ATTEMPTS) continue;
      runSync('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate']);
      throw new Error(
        `PostgreSQL (${binDir}) failed to start on 127.0.0.1:${port} (pg_ctl exit code ${start.code}).\n` +
          `pg_ctl output:\n${tailLines(start.output, 15)}\n` +
          `Server log, last lines:\n${serverLog || '(empty)'}`,
      );
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw err;
  }

  let stopped = false;
  const onSignal = (signal) => {
    stopSync();
    // If nobody else handles this signal, re-raise it so the process still dies as it would have.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const onExit = () => stopSync();
  const removeHooks = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);

  const killByPidFile = () => {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT'); // SIGQUIT = immediate shutdown
    } catch {
      // no pid file or no such process: nothing is running
    }
  };

  function stopSync() {
    if (stopped) return;
    stopped = true;
    removeHooks();
    const result = runSync('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w']);
    if (result.status !== 0) killByPidFile();
    rmSync(dir, { recursive: true, force: true });
  }

  async function stop() {
    if (stopped) return;
    stopped = true;
    removeHooks();
    const result = await run('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w']);
    if (result.code !== 0 && existsSync(path.join(dataDir, 'postmaster.pid'))) {
      killByPidFile();
      await sleep(500);
    }
    await rm(dir, { recursive: true, force: true });
  }

  return { url: `postgres://kra@127.0.0.1:${port}/postgres`, stop };
}

/** Newest /usr/lib/postgresql/<version>/bin that has initdb, pg_ctl and postgres. */
export async function findPostgresBinDir() {
  let versions = [];
  try {
    versions = await readdir(PG_ROOT);
  } catch {
    // no PostgreSQL installed at all
  }
  versions.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const version of versions) {
    const binDir = path.join(PG_ROOT, version, 'bin');
    const ok = await Promise.all(
      REQUIRED_BINARIES.map((name) =>
        access(path.join(binDir, name), fsConstants.X_OK).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (ok.every(Boolean)) return binDir;
  }
  throw new Error(
    `No PostgreSQL server binaries found: expected ${REQUIRED_BINARIES.join(', ')} in ${PG_ROOT}/<version>/bin ` +
      `(install the Debian package "postgresql").`,
  );
}

function lookupSystemUser(name) {
  const id = (flag) => {
    const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
    return r.status === 0 ? Number(r.stdout.trim()) : NaN;
  };
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(
      `Running as root, but there is no "${name}" system user to run PostgreSQL as ` +
        `(PostgreSQL refuses to run as root; Debian's postgresql package creates that user).`,
    );
  }
  return { uid, gid };
}

/** os.tmpdir(), unless we are root and the postgres user could not reach a directory inside it. */
function baseTempDir(asRoot) {
  const tmp = os.tmpdir();
  if (!asRoot) return tmp;
  let current = path.resolve(tmp);
  for (;;) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return '/tmp';
    } catch {
      return '/tmp';
    }
    const parent = path.dirname(current);
    if (parent === current) return tmp;
    current = parent;
  }
}

function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not learn a free port'))));
    });
  });
}

/** Environment for PostgreSQL commands, without PG* variables of the caller that could redirect them. */
function pgEnv() {
  const env = { ...process.env, LC_ALL: 'C' };
  for (const key of ['PGDATA', 'PGPORT', 'PGHOST', 'PGHOSTADDR', 'PGUSER', 'PGDATABASE', 'PGOPTIONS']) {
    delete env[key];
  }
  return env;
}

function runCapture(file, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env: pgEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (err) => resolve({ code: 127, output: output + String(err) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

async function readTail(file, lines) {
  try {
    return tailLines(await readFile(file, 'utf8'), lines);
  } catch {
    return '';
  }
}

function tailLines(text, lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function shellQuote(value) {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
