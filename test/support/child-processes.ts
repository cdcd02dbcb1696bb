/**
 * Child processes started by tests. Each is tracked until it exits, so a suite's cleanup can stop
 * it and wait for it, and the root hook can stop what a failed cleanup left running: a live child
 * keeps mocha's process alive, and a run that never exits is worse than a failed one.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

export interface Child {
  readonly proc: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
}

const live = new Set<Child>();

/** `spawn`, tracked until the process exits. */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  const proc = spawn(command, args, options);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => resolve(code));
    // A command that cannot start never exits; it counts as ended.
    proc.once('error', () => {
      if (proc.pid === undefined) resolve(null);
    });
  });
  const child = { proc, exited };
  live.add(child);
  void exited.then(() => live.delete(child));
  return child;
}

function running(child: Child): boolean {
  return live.has(child) && child.proc.exitCode === null && child.proc.signalCode === null;
}

/** Sends `signal` and waits for the exit; SIGKILL once `graceMs` has passed. */
export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<number | null> {
  if (!running(child)) return child.exited;
  child.proc.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      if (running(child)) child.proc.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  return child.exited;
}

/** Stops every tracked child still running and names them; an empty list means none was left. */
export async function stopLeftovers(): Promise<string[]> {
  const left = [...live].filter(running);
  await Promise.all(left.map((c) => stopChild(c, 'SIGKILL', 5_000)));
  return left.map((c) => `pid ${c.proc.pid}: ${c.proc.spawnargs.join(' ').slice(0, 200)}`);
}
