/**
 * The controller of a soak run as its own process, so the soak can SIGKILL it at any point:
 *   node dist/bench/soak/controller-process.js '<json>'
 * with {repo, kubeconfig, cacheDir, stateNamespace, token, pollIntervalMs}. Prints `listening URL`
 * on stdout once serving; SIGTERM closes it cleanly. SLUICE_SOAK_LOG=info logs to stderr.
 */
import { defaultControllerOptions } from '../../src/engine/controller.js';
import { jsonLogger, silentLogger, type LogLevel } from '../../src/log/logger.js';
import { startSluice } from '../../src/runtime/sluice.js';
import { TokenSet } from '../../src/server/auth.js';

export interface ControllerProcessOptions {
  readonly repo: string;
  readonly kubeconfig: string;
  readonly cacheDir: string;
  readonly stateNamespace: string;
  /** Admin bearer token of the API. */
  readonly token: string;
  readonly pollIntervalMs: number;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as ControllerProcessOptions;
  const sluice = await startSluice(
    {
      kubeconfig: o.kubeconfig,
      port: 0,
      host: '127.0.0.1',
      cacheDir: o.cacheDir,
      logLevel: 'error',
      tokens: new TokenSet().add('admin', o.token, 'soak'),
      controller: { ...defaultControllerOptions(o.repo), pollIntervalMs: o.pollIntervalMs, progressRequeueMs: 200, maxBackoffMs: 2_000, stateNamespace: o.stateNamespace },
    },
    // SLUICE_SOAK_LOG=info (or debug) shows the controller's log on stderr when a run needs explaining.
    process.env.SLUICE_SOAK_LOG ? jsonLogger(process.env.SLUICE_SOAK_LOG as LogLevel) : silentLogger,
  );
  process.stdout.write(`listening ${sluice.url}\n`);
  process.once('SIGTERM', () => void sluice.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
