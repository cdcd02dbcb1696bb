/**
 * Controller benchmark (not a test): prints
 *  1. commit → Synced latency: median over several commits, from the end of `git push` to the API
 *     reporting Synced at the pushed revision, with a 200 ms poll interval; and the same with the
 *     poll interval at 10 minutes and a signed push webhook sent right after each push;
 *  2. a full reconcile of N apps × 4 envs (default N = 100) from a cold start: wall time until every
 *     app × env is Synced and Healthy, and the process's RSS.
 * Real git smart-HTTP server in this process; the emulator runs as its own process (`sluice
 * emulator`), so the RSS printed is the controller's (plus the small git front end).
 *   node dist/bench/controller.js [--apps 100] [--commits 7]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultControllerOptions } from '../src/engine/controller.js';
import { silentLogger } from '../src/log/logger.js';
import { startSluice, type RunningSluice } from '../src/runtime/sluice.js';
import { startGitServer } from '../test/support/git-server.js';
import { cloneWorkdir, type Workdir } from '../test/support/git-workdir.js';
import { exampleFiles } from '../test/e2e/harness.js';
import { arg, median, pushWebhook, startEmulatorProcess, until, WEBHOOK_SECRET } from './common.js';

/** A config repo with `n` copies of the guestbook app in the four environments. */
async function manyApps(n: number): Promise<Record<string, string>> {
  const base = await exampleFiles('bench');
  const files: Record<string, string> = {};
  for (const [p, c] of Object.entries(base)) if (p.startsWith('charts/guestbook/')) files[p] = c;
  const envs = ['dev', 'test', 'stage', 'prod'];
  const apps = Array.from({ length: n }, (_, i) => `app${String(i).padStart(3, '0')}`);
  files['sluice.yaml'] = [
    'apiVersion: sluice.dev/v1alpha1',
    'kind: Config',
    'environments:',
    ...envs.map((e) => `  - {name: ${e}, namespace: bench-${e}, createNamespace: true, syncPolicy: {auto: true, prune: true, selfHeal: true}}`),
    'apps:',
    ...apps.map((a) => `  - {name: ${a}, chart: charts/guestbook}`),
    '',
  ].join('\n');
  for (const e of envs) for (const a of apps) files[`environments/${e}/${a}/image.yaml`] = 'image:\n  tag: "1.0.0"\n';
  return files;
}

function summary(ms: number[]): string {
  return `median ${median(ms).toFixed(0)} ms, min ${Math.min(...ms).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms`;
}

/** Per commit: from the end of the push (and the webhook, if any) to Synced at that commit. */
async function commitLatencies(sluice: RunningSluice, work: Workdir, n: number, afterPush?: (sha: string) => Promise<void>): Promise<number[]> {
  await until(() => sluice.status.list().length === 8 && sluice.status.list().every((x) => x.syncStatus === 'Synced'), 60_000);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await work.write('environments/dev/guestbook/values.yaml', `greeting: "commit ${i} at ${Date.now()}"\n`);
    const sha = await work.commitAndPush(`bench commit ${i}`);
    const t0 = performance.now();
    await afterPush?.(sha);
    await until(() => {
      const st = sluice.status.get('guestbook', 'dev');
      return st?.revision === sha && st.syncStatus === 'Synced';
    }, 30_000);
    out.push(performance.now() - t0);
  }
  return out;
}

async function start(repo: string, kubeconfig: string, dir: string, pollMs: number, concurrency: number): Promise<RunningSluice> {
  return startSluice(
    {
      kubeconfig,
      port: 0,
      host: '127.0.0.1',
      cacheDir: join(dir, `cache-${Date.now()}`),
      logLevel: 'error',
      webhookSecrets: { shared: WEBHOOK_SECRET },
      controller: { ...defaultControllerOptions(repo), pollIntervalMs: pollMs, progressRequeueMs: 250, concurrency },
    },
    silentLogger,
  );
}

async function main(): Promise<void> {
  const nApps = arg('apps', 100);
  const nCommits = arg('commits', 7);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const { child: emulator } = await startEmulatorProcess(kubeconfig, ['--kubelet-tick', '100']);
  const git = await startGitServer({ root: join(dir, 'git') });
  try {
    // 1. commit → Synced latency
    await git.createRepo('latency.git', await exampleFiles('lat'));
    const work = await cloneWorkdir(git.repoUrl('latency.git'), join(dir, 'work'));
    const s1 = await start(git.repoUrl('latency.git'), kubeconfig, dir, 200, 4);
    const latencies = await commitLatencies(s1, work, nCommits);
    await s1.close();
    console.log(`commit → Synced latency (poll 200 ms, ${nCommits} commits): ${summary(latencies)}`);
    const hookedSluice = await start(git.repoUrl('latency.git'), kubeconfig, dir, 600_000, 4);
    const hooked = await commitLatencies(hookedSluice, work, nCommits, (sha) => pushWebhook(hookedSluice.url, git.repoUrl('latency.git'), sha));
    await hookedSluice.close();
    console.log(`commit → webhook → Synced latency (poll 10 min, ${nCommits} commits): ${summary(hooked)}`);

    // 2. full reconcile of N apps × 4 envs
    await git.createRepo('many.git', await manyApps(nApps));
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const s2 = await start(git.repoUrl('many.git'), kubeconfig, dir, 60_000, 8);
    const total = nApps * 4;
    await until(() => s2.status.list().length === total && s2.status.list().every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy'), 600_000);
    const first = performance.now() - t0;
    const t1 = performance.now();
    await s2.controller.refresh(); // a steady-state pass: nothing changed, every app × env re-checked
    await s2.controller.idle();
    const steady = performance.now() - t1;
    const rss = process.memoryUsage().rss;
    console.log(`full reconcile, ${nApps} apps × 4 envs (${total} app × envs, ${total * 3} objects): cold ${(first / 1000).toFixed(1)} s to all Synced+Healthy, steady-state pass ${(steady / 1000).toFixed(2)} s`);
    console.log(`controller RSS: ${(rss / 2 ** 20).toFixed(0)} MiB after the run (${(rssBefore / 2 ** 20).toFixed(0)} MiB before it)`);
    await s2.close();
  } finally {
    await git.close();
    emulator.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
