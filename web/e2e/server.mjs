// Starts and stops a real qianbaod for the end-to-end tests: a free loopback port, a fresh
// temporary data dir, the repository root as working directory (so it serves web/dist), and a
// bounded wait for its `msg="listening"` log line. stop() always ends the process (SIGTERM,
// then SIGKILL after 5 s) and removes the data dir.
import { spawn } from 'node:child_process';
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

/** The qianbaod binary: $QIANBAOD (relative paths are relative to web/) or the release build. */
export function qianbaodPath() {
  return resolve(WEB_DIR, process.env.QIANBAOD || '../build/release/src/server/qianbaod');
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
 * Starts qianbaod; resolves to { baseUrl, port, dataDir, output, stop } once it logs that it
 * listens. On any failure to start, it is stopped and cleaned up before the promise rejects.
 */
export async function startServer() {
  const binary = qianbaodPath();
  if (!existsSync(binary)) {
    throw new Error(`qianbaod not found at ${binary}: run \`make build-release\` or set QIANBAOD`);
  }
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist/index.html is missing: run `make web` (or `npm run build` in web/)');
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'qianbao-e2e-'));
  const child = spawn(binary, [], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      QIANBAO_LISTEN_ADDRESS: '127.0.0.1',
      QIANBAO_LISTEN_PORT: String(port),
      QIANBAO_DATA_DIR: dataDir,
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
    };
  } catch (error) {
    await stop();
    error.message += `\n--- qianbaod output ---\n${output}`;
    throw error;
  }
}
