/**
 * `sluice emulator`: runs the Kubernetes API emulator until SIGINT/SIGTERM, printing its URL and
 * optionally writing a kubeconfig for kubectl and the controller.
 */
import { flag, flagBool, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { startEmulator } from '../../emulator/index.js';

const USAGE = `Usage: sluice emulator [--port P] [--kubeconfig-out FILE] [--simulate-kubelet] [--kubelet-tick MS]

Serves the Kubernetes API (discovery, CRUD, watch, patches, server-side apply) over HTTP on
127.0.0.1 until interrupted.

Flags:
  --port P               TCP port (default 0: a free port)
  --kubeconfig-out FILE  write a kubeconfig pointing at the emulator
  --simulate-kubelet     advance workload status so health converges
  --kubelet-tick MS      kubelet simulator tick (default 200)

Example:
  sluice emulator --port 6443 --kubeconfig-out ./kubeconfig --simulate-kubelet`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { port: {}, 'kubeconfig-out': {}, 'simulate-kubelet': { boolean: true }, 'kubelet-tick': {} });
  const port = Number(flag(args, 'port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got ${flag(args, 'port')}`);
  const tick = Number(flag(args, 'kubelet-tick') ?? '200');
  if (!(tick > 0)) throw new UsageError('--kubelet-tick must be a positive number of milliseconds');
  const emulator = await startEmulator({ port, simulateKubelet: flagBool(args, 'simulate-kubelet'), kubeletTickMs: tick });
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
  summary: 'Run the Kubernetes API emulator',
  usage: USAGE,
  run,
};
