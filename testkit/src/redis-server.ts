/**
 * A Redis of the test's own (`redis-server` on a free port, no persistence), to stop and start:
 * killed, it comes back empty. Under CI=true a missing binary fails the run instead of skipping.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { until } from './wait.ts';

const READY_WAIT_MS = 5_000;

function hasRedisServer(): boolean {
  const found = spawnSync('redis-server', ['--version']).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('redis-server must be installed when CI=true');
  return found;
}

export const HAS_REDIS_SERVER = hasRedisServer();

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `redis-server` on `port`; resolves once it answers PING. */
export async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const answers = () => /PONG/.test(spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout.toString());
  await until(answers, READY_WAIT_MS, `redis-server on port ${port}`);
  return child;
}

/** Kills a Redis started here and waits until it is gone. */
export async function killRedisServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
