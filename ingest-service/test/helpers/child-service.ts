/**
 * The service as production runs it (`pnpm serve`, scripts/src/serve.ts) in a child process, for
 * tests that kill it. Configured by environment only; its output is kept to explain a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SERVE_SCRIPT = fileURLToPath(new URL('../../../scripts/src/serve.ts', import.meta.url));
/** What `pnpm serve` prints once it listens. */
const READY_LINE = /dudao serving .* on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildService {
  url: string;
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** settles when the process has ended */
  exited: Promise<Exit>;
}

/**
 * Starts `pnpm serve` with `env` over a clean environment of the service's variables (so the
 * test's DATABASE_URL or REDIS_URL reach it only when given), on a free port. `wrapper` runs it
 * under another program (e.g. `['strace', …options]`); `pid` is then the wrapper's.
 */
export async function startChildService(
  env: Record<string, string>,
  { wrapper = [], startTimeoutMs = START_TIMEOUT_MS }: { wrapper?: string[]; startTimeoutMs?: number } = {},
): Promise<ChildService> {
  const [command, ...args] = [...wrapper, process.execPath, '--import', 'tsx', SERVE_SCRIPT];
  const child: ChildProcess = spawn(command!, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DASHBOARD_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a service left starting would hold the embedded database's files
      reject(new Error(`no ready line in time:\n${output}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY_LINE.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`exited (${exit.code ?? exit.signal}) while starting:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    kill: (signal) => void child.kill(signal),
    exited,
  };
}
