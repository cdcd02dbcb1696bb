/**
 * `sluice emulator`: runs the Kubernetes API emulator until SIGINT/SIGTERM, printing its URL and
 * optionally writing a kubeconfig for kubectl and the controller. `--fault-*` flags start it with
 * a fault plan (see src/emulator/faults.ts), which `/emulator/v1/faults` can change at run time.
 */
import { flag, flagBool, parseArgs, parseDuration, UsageError, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import type { FaultPlan } from '../../emulator/faults.js';

const USAGE = `Usage: sluice emulator [--port P] [--kubeconfig-out FILE] [--simulate-kubelet] [--kubelet-tick MS] [--fault-… ]

Serves the Kubernetes API (discovery, CRUD, watch, patches, server-side apply) over HTTP on
127.0.0.1 until interrupted.

Flags:
  --port P               TCP port (default 0: a free port)
  --kubeconfig-out FILE  write a kubeconfig pointing at the emulator
  --simulate-kubelet     run the workload controllers, scheduler and kubelet (pods, rollouts, events)
  --kubelet-tick MS      simulated duration of one step of a pod's life: pull, start, a Job's run (default 200)

Fault injection (rates are shares between 0 and 1; all off by default):
  --fault-error-rate R       requests answered 500 or 503
  --fault-conflict-rate R    updates, patches and applies answered 409 Conflict
  --fault-throttle-rate R    requests answered 429 with Retry-After: 1
  --fault-latency DUR        latency added to every request (e.g. 50ms)
  --fault-latency-jitter DUR up to this much more, drawn per request
  --fault-watch-cut-rate R   watch streams dropped mid-way
  --fault-watch-cut-after DUR  a cut watch is dropped after 0.5-1.5 x this (default 1s)
  --fault-gone-rate R        lists and watches from a resourceVersion answered 410 Gone
  --fault-seed N             seed of the fault draws (default 1): same seed, same faults

At run time: GET/PUT/DELETE /emulator/v1/faults reads, changes (JSON body, e.g.
{"errorRate":0.1}) or clears the plan; POST /emulator/v1/wipe drops all state as a restart on an
empty etcd would. These paths are never faulted.

Example:
  sluice emulator --port 6443 --kubeconfig-out ./kubeconfig --simulate-kubelet
  sluice emulator --fault-error-rate 0.1 --fault-throttle-rate 0.05 --fault-seed 42`;

const FAULT_FLAGS: Record<string, { field: keyof FaultPlan; duration?: boolean }> = {
  'fault-error-rate': { field: 'errorRate' },
  'fault-conflict-rate': { field: 'conflictRate' },
  'fault-throttle-rate': { field: 'throttleRate' },
  'fault-latency': { field: 'latencyMs', duration: true },
  'fault-latency-jitter': { field: 'latencyJitterMs', duration: true },
  'fault-watch-cut-rate': { field: 'watchCutRate' },
  'fault-watch-cut-after': { field: 'watchCutAfterMs', duration: true },
  'fault-gone-rate': { field: 'goneRate' },
  'fault-seed': { field: 'seed' },
};

/** The fault plan the `--fault-*` flags ask for. */
export async function faultPlanFromArgs(args: ParsedArgs): Promise<FaultPlan> {
  const { FaultPlanError, parseFaultPlan } = await import('../../emulator/faults.js');
  const partial: Record<string, number> = {};
  for (const [name, { field, duration }] of Object.entries(FAULT_FLAGS)) {
    const text = flag(args, name);
    if (text === undefined) continue;
    const value = duration && !/^\d+(\.\d+)?$/.test(text) ? parseDuration(text) : Number(text);
    if (text.trim() === '' || Number.isNaN(value)) throw new UsageError(`--${name} must be a number, got "${text}"`);
    partial[field] = value;
  }
  try {
    return parseFaultPlan(partial);
  } catch (err) {
    if (err instanceof FaultPlanError) throw new UsageError(`--fault-*: ${err.message}`);
    throw err;
  }
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { port: {}, 'kubeconfig-out': {}, 'simulate-kubelet': { boolean: true }, 'kubelet-tick': {}, ...Object.fromEntries(Object.keys(FAULT_FLAGS).map((k) => [k, {}])) });
  const port = Number(flag(args, 'port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got ${flag(args, 'port')}`);
  const tick = Number(flag(args, 'kubelet-tick') ?? '200');
  if (!(tick > 0)) throw new UsageError('--kubelet-tick must be a positive number of milliseconds');
  const faults = await faultPlanFromArgs(args);
  const { startEmulator } = await import('../../emulator/index.js');
  const emulator = await startEmulator({ port, simulateKubelet: flagBool(args, 'simulate-kubelet'), kubeletTickMs: tick, faults });
  const out = flag(args, 'kubeconfig-out');
  if (out) await emulator.writeKubeconfig(out);
  process.stdout.write(`emulator listening on ${emulator.url}${out ? ` (kubeconfig: ${out})` : ''}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return 0;
}

export const command: Command = {
  usage: USAGE,
  run,
};
