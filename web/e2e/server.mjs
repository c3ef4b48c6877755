// Starts and stops a real qianbaod for the end-to-end tests: a free loopback port, a fresh
// temporary data dir, the repository root as working directory (so it serves web/dist), and a
// bounded wait for its `msg="listening"` log line. stop() always ends the process (SIGTERM,
// then SIGKILL after 5 s) and removes the data dir.
//
// startServer({ admin: true }) first creates a staff admin in the fresh data dir with the admin
// CLI (`qianbao admin create --password-stdin`), with a random password made for this run only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** web/ */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root: qianbaod's working directory. */
export const REPO_ROOT = resolve(WEB_DIR, '..');

const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const START_ATTEMPTS = 3; // when another suite took the free port first
const CLI_TIMEOUT_MS = 30_000;

/** The qianbaod binary: $QIANBAOD (relative paths are relative to web/) or the release build. */
export function qianbaodPath() {
  return resolve(WEB_DIR, process.env.QIANBAOD || '../build/release/src/server/qianbaod');
}

/**
 * The admin CLI: $QIANBAO_CLI (relative paths are relative to web/) or the `qianbao` binary of
 * the same build as qianbaod (<build>/src/cli/qianbao next to <build>/src/server/qianbaod).
 */
export function qianbaoCliPath() {
  if (process.env.QIANBAO_CLI) return resolve(WEB_DIR, process.env.QIANBAO_CLI);
  return resolve(dirname(qianbaodPath()), '..', 'cli', 'qianbao');
}

/** A password for this run only: 8-64 characters with letters and digits, never stored. */
export function randomPassword() {
  return `Qb${randomBytes(12).toString('hex')}9`;
}

/**
 * Creates a staff account with the admin role in dataDir (the server must not be running on
 * it). The password goes through standard input, not the command line. Bounded by a timeout.
 */
export function createStaffAdmin(dataDir, { username, displayName, password }) {
  const cli = qianbaoCliPath();
  if (!existsSync(cli)) {
    return Promise.reject(
      new Error(`qianbao CLI not found at ${cli}: build the \`qianbao\` target or set QIANBAO_CLI`),
    );
  }
  const args = ['admin', 'create', '--data', dataDir, '--username', username,
    '--display-name', displayName, '--password-stdin'];
  return new Promise((resolveDone, reject) => {
    const child = spawn(cli, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`qianbao admin create took over ${CLI_TIMEOUT_MS} ms:\n${output}`));
    }, CLI_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => (output += chunk.toString()));
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`qianbao admin create could not start: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveDone(output);
      else reject(new Error(`qianbao admin create failed (${code ?? signal}):\n${output}`));
    });
    child.stdin.on('error', () => {}); // an early exit is reported by 'exit'
    child.stdin.end(`${password}\n`);
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts qianbaod; resolves to { baseUrl, port, dataDir, output, stop, admin } once it logs that
 * it listens. With { admin: true } a staff admin is created first and `admin` holds its
 * { username, displayName, password }; otherwise `admin` is null. On any failure to start, it
 * is stopped and cleaned up before the promise rejects.
 *
 * Suites run side by side (`--test-concurrency`), so another may take the free port between the
 * probe and qianbaod's bind: a server that cannot listen is started again on a new port. (Port
 * 0 would avoid the race, but the development WebAuthn origin names the configured port.)
 */
export async function startServer(options = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(options);
    } catch (error) {
      if (attempt === START_ATTEMPTS || !error.message.includes('cannot start the HTTP server')) {
        throw error;
      }
    }
  }
}

async function startServerOnce({ admin: withAdmin = false }) {
  const binary = qianbaodPath();
  if (!existsSync(binary)) {
    throw new Error(`qianbaod not found at ${binary}: run \`make build-release\` or set QIANBAOD`);
  }
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist/index.html is missing: run `make web` (or `npm run build` in web/)');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'qianbao-e2e-'));
  let admin = null;
  if (withAdmin) {
    admin = { username: 'e2e.admin', displayName: 'E2E Admin', password: randomPassword() };
    try {
      await createStaffAdmin(dataDir, admin);
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const port = await freePort();
  const child = spawn(binary, [], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      QIANBAO_LISTEN_ADDRESS: '127.0.0.1',
      QIANBAO_LISTEN_PORT: String(port),
      QIANBAO_DATA_DIR: dataDir,
      // The development stand-ins: the SMS outbox the tests read codes from.
      QIANBAO_DEPLOYMENT: 'development',
      QIANBAO_SMS_PROVIDER: 'outbox',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  let exited = false;
  const exitPromise = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = true;
      resolveExit({ code, signal });
    });
    child.on('error', (error) => {
      output += `spawn error: ${error.message}\n`;
      exited = true;
      resolveExit({ code: null, signal: null });
    });
  });
  // If the test process dies without running its hooks, do not leave the server behind.
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = new Promise((r) => setTimeout(r, STOP_GRACE_MS, 'timeout'));
        if ((await Promise.race([exitPromise, timer])) === 'timeout') {
          child.kill('SIGKILL');
          await exitPromise;
        }
      }
      process.off('exit', killOnExit);
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    const listeningPort = await new Promise((resolveListening, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`qianbaod did not log "listening" within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => l.includes('msg="listening"'));
        if (line) {
          clearTimeout(timer);
          const match = /\bport=(\d+)/.exec(line);
          resolveListening(match ? Number(match[1]) : port);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      exitPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`qianbaod exited before listening (code ${code}, signal ${signal})`));
      });
    });
    return {
      port: listeningPort,
      baseUrl: `http://127.0.0.1:${listeningPort}`,
      dataDir,
      output: () => output,
      stop,
      admin,
    };
  } catch (error) {
    await stop();
    error.message += `\n--- qianbaod output ---\n${output}`;
    throw error;
  }
}
