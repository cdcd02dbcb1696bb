/**
 * Scale benchmark (not a test): one sluice controller (in this process) holding N apps × 4 envs
 * (default 1,000 × 4) against the emulator as its own `sluice emulator --simulate-kubelet`
 * process, and a real git smart-HTTP server in a third (git-host.ts). Per variant it prints:
 *  - time to the first full sync (every app × env Synced and Healthy) from a cold start, and a
 *    no-change resync pass (every app × env re-checked, nothing changed);
 *  - steady-state CPU seconds per minute of the controller (this process) and of the emulator, and
 *    the Kubernetes API requests the controller made, over a quiet window at the poll interval;
 *  - peak RSS of the controller (this process's VmHWM) and of the emulator;
 *  - webhook-triggered single-change latency p50/p99: a values change of one app × env pushed to
 *    git plus the signed push webhook, to that app × env Synced at the new revision, while the
 *    other app × envs change nothing — pushed when the controller has nothing queued, then back to
 *    back (each push lands in the resync of every app × env that the one before started);
 *  - the loop a user would script instead (`helm template` + `kubectl apply --server-side` per
 *    app × env, the real binaries, one after the other) against sluice on the same number of
 *    app × envs (default 100) and the same emulator, as a ratio.
 * Variants: `small`, the guestbook chart (Deployment, Service, ConfigMap); `chart`, an umbrella
 * chart over three public charts of the chart corpus (~17 objects), given by --chart-corpus DIR or
 * $SLUICE_CHART_CORPUS and skipped, with the reason printed, without it.
 *   node dist/bench/scale.js [--apps 1000] [--variant small|chart|all] [--changes 20] [--burst 10] [--scripted 100]
 *     [--steady-seconds 60] [--poll-ms 30000] [--concurrency 8] [--resyncs 2] [--chart-corpus DIR]
 * SLUICE_BENCH_EMULATOR_NODE_ARGS (e.g. `--cpu-prof`) passes arguments to the emulator's node;
 * profile the controller with `node --cpu-prof dist/bench/scale.js …`, or only its webhook phase with
 * `--profile-webhooks FILE.cpuprofile`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { defaultControllerOptions } from '../src/engine/controller.js';
import { statusKey, type AppEnvStatus } from '../src/engine/status.js';
import { silentLogger } from '../src/log/logger.js';
import { startSluice, type RunningSluice } from '../src/runtime/sluice.js';
import { exampleFiles } from '../test/e2e/harness.js';
import { cloneWorkdir, type Workdir } from '../test/support/git-workdir.js';
import { helmPath, kubectlPath } from '../test/support/tools.js';
import { arg, cpuSeconds, median, percentile, pushWebhook, sleep, startEmulatorProcess, startGitHostProcess, statusMiB, stopProcess, stringArg, WEBHOOK_SECRET, type EmulatorProcess, type GitHostProcess } from './common.js';

const ENVS = ['dev', 'test', 'stage', 'prod'];
const TARGETS = { coldS: 120, noChangeS: 10, rssMiB: 1024, p99Ms: 1000 };

/** The charts of the public corpus the `chart` variant's umbrella chart depends on, and the values that switch on their optional objects. */
const CORPUS_CHARTS = ['prometheus-blackbox-exporter', 'prometheus-redis-exporter', 'prometheus-pushgateway'];
const UMBRELLA_VALUES = [
  'prometheus-blackbox-exporter:',
  '  ingress: {enabled: true}',
  '  podDisruptionBudget: {maxUnavailable: 1}',
  '  networkPolicy: {enabled: true}',
  'prometheus-redis-exporter: {}',
  'prometheus-pushgateway:',
  '  ingress: {enabled: true, hosts: [pushgateway.example]}',
  '  podDisruptionBudget: {maxUnavailable: 1}',
  '',
].join('\n');

interface Variant {
  readonly name: string;
  /** Chart files by repo path. */
  readonly chart: Record<string, string>;
  readonly chartPath: string;
  /** Objects one app × env renders. */
  readonly objects: number;
  /** The values file content of change `i` (written to the app × env's values.yaml). */
  readonly change: (i: number) => string;
}

async function smallVariant(): Promise<Variant> {
  const base = await exampleFiles('bench');
  const chart = Object.fromEntries(Object.entries(base).filter(([p]) => p.startsWith('charts/guestbook/')));
  return { name: 'small', chart, chartPath: 'charts/guestbook', objects: 3, change: (i) => `greeting: "change ${i} at ${Date.now()}"\n` };
}

/** Chart files a render reads (not READMEs, CI values or unit tests), by path relative to `root`. */
function chartTree(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const rel = relative(root, p);
    if (statSync(p).isDirectory()) {
      if (!['ci', 'unittests', 'hack'].includes(name)) chartTree(root, p, out);
    } else if (rel.startsWith('templates/') || rel.includes('/templates/') || /(^|\/)(Chart\.yaml|values\.yaml|values\.schema\.json|\.helmignore)$/.test(rel)) {
      out[rel] = readFileSync(p, 'utf8');
    }
  }
  return out;
}

function chartVariant(corpus: string): Variant | string {
  const missing = CORPUS_CHARTS.filter((c) => !existsSync(join(corpus, c, 'Chart.yaml')));
  if (missing.length) return `chart corpus ${corpus} lacks ${missing.join(', ')}`;
  const chart: Record<string, string> = {
    'charts/exporters/Chart.yaml': 'apiVersion: v2\nname: exporters\nversion: 1.0.0\n',
    'charts/exporters/values.yaml': UMBRELLA_VALUES,
  };
  for (const c of CORPUS_CHARTS) for (const [p, content] of Object.entries(chartTree(join(corpus, c)))) chart[`charts/exporters/charts/${c}/${p}`] = content;
  return {
    name: 'chart', chart, chartPath: 'charts/exporters', objects: 17,
    change: (i) => `prometheus-blackbox-exporter:\n  config:\n    modules:\n      http_2xx: {prober: http, timeout: ${(i % 9) + 1}s}\n`,
  };
}

function appNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `app${String(i).padStart(4, '0')}`);
}

/** A config repo with `apps` on `variant`'s chart in the four environments, in namespaces `<prefix>-<env>`. */
function configRepo(variant: Variant, apps: string[], prefix: string): Record<string, string> {
  const files: Record<string, string> = { ...variant.chart };
  files['sluice.yaml'] = [
    'apiVersion: sluice.dev/v1alpha1',
    'kind: Config',
    'environments:',
    ...ENVS.map((e) => `  - {name: ${e}, namespace: ${prefix}-${e}, createNamespace: true, syncPolicy: {auto: true, prune: true, selfHeal: true}}`),
    'apps:',
    ...apps.map((a) => `  - {name: ${a}, chart: ${variant.chartPath}}`),
    '',
  ].join('\n');
  for (const e of ENVS) for (const a of apps) files[`environments/${e}/${a}/image.yaml`] = 'image:\n  tag: "1.0.0"\n';
  return files;
}

/** Counts app × envs Synced and Healthy as statuses change (no scan of the store), and waits for one to reach a revision. */
class Tracker {
  private readonly good = new Set<string>();
  private readonly waiters = new Map<string, { sha: string; resolve: () => void }>();

  constructor(sluice: RunningSluice) {
    sluice.status.onChange((s: AppEnvStatus) => {
      const key = statusKey(s.app, s.env);
      if (s.syncStatus === 'Synced' && s.health === 'Healthy') this.good.add(key);
      else this.good.delete(key);
      const w = this.waiters.get(key);
      if (w && s.revision === w.sha && s.syncStatus === 'Synced') {
        this.waiters.delete(key);
        w.resolve();
      }
    });
  }

  get healthy(): number {
    return this.good.size;
  }

  synced(key: string, sha: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${key} not Synced at ${sha.slice(0, 7)} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(key, { sha, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }
}

async function startController(repo: string, kubeconfig: string, cacheDir: string, pollMs: number, concurrency: number): Promise<RunningSluice> {
  return startSluice(
    {
      kubeconfig, port: 0, host: '127.0.0.1', cacheDir, logLevel: 'error',
      webhookSecrets: { shared: WEBHOOK_SECRET },
      controller: { ...defaultControllerOptions(repo), pollIntervalMs: pollMs, concurrency },
    },
    silentLogger,
  );
}

async function waitHealthy(tracker: Tracker, total: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (tracker.healthy < total) {
    if (Date.now() > deadline) throw new Error(`${tracker.healthy} of ${total} app × envs Synced+Healthy after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

interface PassCost {
  readonly ms: number;
  /** CPU seconds of the controller (this process) and of the emulator during the pass. */
  readonly cpu: number;
  readonly emulatorCpu: number;
  readonly requests: number;
  /** The requests by verb. */
  readonly verbs: string;
}

/** A resync pass with nothing changed: poll (same head), every app × env re-checked. */
async function noChangePass(sluice: RunningSluice, emulatorPid?: number): Promise<PassCost> {
  await sluice.controller.idle();
  const [c0, e0, r0] = [cpuSeconds('self'), emulatorPid ? cpuSeconds(emulatorPid) : 0, await requestsByVerb(sluice)];
  const t = performance.now();
  await sluice.controller.refresh();
  await sluice.controller.idle();
  const ms = performance.now() - t;
  const r1 = await requestsByVerb(sluice);
  const requests = Object.values(r1).reduce((a, b) => a + b, 0) - Object.values(r0).reduce((a, b) => a + b, 0);
  return { ms, cpu: cpuSeconds('self') - c0, emulatorCpu: (emulatorPid ? cpuSeconds(emulatorPid) : 0) - e0, requests, verbs: verbDelta(r0, r1) };
}

async function kubeRequests(sluice: RunningSluice): Promise<number> {
  return Object.values(await requestsByVerb(sluice)).reduce((a, b) => a + b, 0);
}

/** sluice_kube_requests_total summed by verb. */
async function requestsByVerb(sluice: RunningSluice): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await sluice.metrics.kubeRequests.get()).values) out[String(v.labels.verb)] = (out[String(v.labels.verb)] ?? 0) + v.value;
  return out;
}

function verbDelta(a: Record<string, number>, b: Record<string, number>): string {
  return Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)] as const).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
}

const s1 = (ms: number) => (ms / 1000).toFixed(1);
const s2 = (ms: number) => (ms / 1000).toFixed(2);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

interface Setup {
  readonly dir: string;
  readonly git: GitHostProcess;
  readonly emulator: EmulatorProcess;
  readonly kubeconfig: string;
}

/** Cold sync, no-change passes, steady CPU, RSS and webhook latency of N apps × 4 envs. */
async function atScale(setup: Setup, variant: Variant, nApps: number): Promise<void> {
  const { dir, git, emulator, kubeconfig } = setup;
  const apps = appNames(nApps);
  const total = nApps * 4;
  const pollMs = arg('poll-ms', 30_000);
  await git.createRepo(`${variant.name}.git`, configRepo(variant, apps, `${variant.name}`));
  const repo = git.repoUrl(`${variant.name}.git`);
  const rssBefore = statusMiB('self', 'VmRSS');
  const [cpu0, ecpu0] = [cpuSeconds('self'), cpuSeconds(emulator.child.pid as number)];
  const t0 = performance.now();
  const sluice = await startController(repo, kubeconfig, join(dir, `cache-${variant.name}`), pollMs, arg('concurrency', 8));
  const tracker = new Tracker(sluice);
  try {
    await waitHealthy(tracker, total, arg('timeout-s', 900) * 1000);
    const cold = performance.now() - t0;
    const coldVerbs = await requestsByVerb(sluice);
    const coldRequests = Object.values(coldVerbs).reduce((a, b) => a + b, 0);
    console.log(`  [${variant.name}] cold start: controller ${(cpuSeconds('self') - cpu0).toFixed(1)} CPU s, emulator ${(cpuSeconds(emulator.child.pid as number) - ecpu0).toFixed(1)} CPU s, ${coldRequests} API requests (${(coldRequests / total).toFixed(1)} per app × env: ${verbDelta({}, coldVerbs)})`);
    const cached = (await sluice.metrics.cacheObjects.get()).values.map((v) => `${String(v.labels.kind)} ${v.value}`);
    console.log(`  [${variant.name}] informer cache: ${cached.join(', ')}`);
    const costs: PassCost[] = [];
    for (let i = 0; i < arg('resyncs', 2); i++) costs.push(await noChangePass(sluice, emulator.child.pid));
    const passes = costs.map((c) => c.ms);
    const steady = median(passes);
    console.log(`full reconcile, ${nApps} apps × 4 envs (${total} app × envs, ${total * variant.objects} objects): cold ${s1(cold)} s to all Synced+Healthy, steady-state pass ${s2(steady)} s`);
    console.log(`  [${variant.name}] targets: cold ≤ ${TARGETS.coldS} s (${verdict(cold <= TARGETS.coldS * 1000)}), no-change resync ≤ ${TARGETS.noChangeS} s (${verdict(steady <= TARGETS.noChangeS * 1000)}); no-change passes: ${passes.map(s2).join(', ')} s`);
    for (const c of costs) console.log(`  [${variant.name}] no-change pass: ${s2(c.ms)} s, controller ${c.cpu.toFixed(1)} CPU s, emulator ${c.emulatorCpu.toFixed(1)} CPU s, ${c.requests} API requests (${(c.requests / total).toFixed(1)} per app × env: ${c.verbs})`);

    const seconds = arg('steady-seconds', 60);
    if (seconds > 0) {
      const [c0, e0, r0] = [cpuSeconds('self'), cpuSeconds(emulator.child.pid as number), await kubeRequests(sluice)];
      await sleep(seconds * 1000);
      const [c1, e1, r1] = [cpuSeconds('self'), cpuSeconds(emulator.child.pid as number), await kubeRequests(sluice)];
      const perMin = (x: number) => ((x * 60) / seconds).toFixed(1);
      console.log(`  [${variant.name}] steady state over ${seconds} s (poll every ${pollMs / 1000} s, nothing changing): controller ${perMin(c1 - c0)} CPU s/min, emulator ${perMin(e1 - e0)} CPU s/min, ${perMin(r1 - r0)} API requests/min`);
    }

    const changes = arg('changes', 20);
    const burst = arg('burst', 10);
    if (changes + burst > 0) {
      const work = await cloneWorkdir(repo, join(dir, `work-${variant.name}`));
      let n = 0;
      /** One values change of one app × env, pushed with its webhook; ms to that app × env Synced at the new commit. */
      const change = async (): Promise<number> => {
        const i = n++;
        const app = apps[(i * 37 + 11) % nApps];
        const env = ENVS[i % 4];
        await work.write(`environments/${env}/${app}/values.yaml`, variant.change(i));
        const sha = await work.commitAndPush(`bench change ${i}`);
        const t = performance.now();
        const synced = tracker.synced(statusKey(app, env), sha, 300_000);
        await pushWebhook(sluice.url, repo, sha);
        await synced;
        return performance.now() - t;
      };
      const report = (what: string, ms: number[]) => {
        const p99 = percentile(ms, 99);
        console.log(`  [${variant.name}] webhook → Synced ${what} (${ms.length} changes): p50 ${median(ms).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms (target p99 ≤ ${TARGETS.p99Ms} ms: ${verdict(p99 <= TARGETS.p99Ms)}); each: ${ms.map((x) => x.toFixed(0)).join(' ')}`);
      };
      const profile = stringArg('profile-webhooks');
      const profiler = profile ? await startProfile() : undefined;
      // At rest: each change pushed once the controller has nothing queued (the other app × envs idle).
      const atRest: number[] = [];
      for (let i = 0; i < changes; i++) {
        await sluice.controller.idle();
        atRest.push(await change());
      }
      if (atRest.length) report(`of one app × env, pushed while the other ${total - 1} are idle`, atRest);
      // Back to back: each change pushed as soon as the one before is Synced, into the resync the one before started.
      const backToBack: number[] = [];
      for (let i = 0; i < burst; i++) backToBack.push(await change());
      if (backToBack.length) report('back to back (each push re-checks every app × env; the next lands during that resync)', backToBack);
      if (profiler && profile) await profiler.stop(profile);
    }
    const peak = statusMiB('self', 'VmHWM');
    console.log(`controller RSS: ${statusMiB('self', 'VmRSS').toFixed(0)} MiB after the run (${rssBefore.toFixed(0)} MiB before it), peak ${peak.toFixed(0)} MiB (target ≤ ${TARGETS.rssMiB} MiB: ${verdict(peak <= TARGETS.rssMiB)}); emulator peak ${statusMiB(emulator.child.pid as number, 'VmHWM').toFixed(0)} MiB`);
  } finally {
    await sluice.close();
  }
}

/** The controller's CPU profile (this process), for the phase between start and stop. */
async function startProfile(): Promise<{ stop: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  controller CPU profile of the webhook phase: ${file}`);
    },
  };
}

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(Buffer.concat(out).toString()) : reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')}: exit ${code}: ${Buffer.concat(err).toString().slice(0, 500)}`))));
    child.stdin.end(input ?? '');
  });
}

/** Every Deployment of the namespaces Available, read from the emulator. */
async function allAvailable(url: string, namespaces: string[], expected: number): Promise<boolean> {
  let n = 0;
  for (const ns of namespaces) {
    const res = await fetch(`${url}/apis/apps/v1/namespaces/${ns}/deployments`);
    const list = (await res.json()) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] };
    n += list.items.filter((d) => d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')).length;
  }
  return n >= expected;
}

/**
 * The loop a user would script: per app × env, `helm template` with the env's values files, piped
 * to `kubectl apply --server-side`, one after the other; then (as sluice's cold figure) until every
 * Deployment is Available. Against sluice on the same app × envs and the same emulator.
 */
async function scriptedComparison(setup: Setup, variant: Variant, n: number): Promise<void> {
  const { dir, git, emulator, kubeconfig } = setup;
  const apps = appNames(Math.max(1, Math.round(n / 4)));
  const total = apps.length * 4;
  const deployments = total * (variant.objects === 3 ? 1 : 3);
  const name = `${variant.name}-cmp`;
  await git.createRepo(`${name}.git`, configRepo(variant, apps, `${variant.name}-sluice`));
  // sluice
  const t0 = performance.now();
  const sluice = await startController(git.repoUrl(`${name}.git`), kubeconfig, join(dir, `cache-${name}`), 600_000, arg('concurrency', 8));
  const tracker = new Tracker(sluice);
  let cold: number;
  let pass: number;
  try {
    await waitHealthy(tracker, total, 600_000);
    cold = performance.now() - t0;
    pass = median([(await noChangePass(sluice)).ms, (await noChangePass(sluice)).ms]);
  } finally {
    await sluice.close();
  }
  // the scripted loop, in its own namespaces, from a checkout of the same repo
  const work: Workdir = await cloneWorkdir(git.repoUrl(`${name}.git`), join(dir, `work-${name}`));
  const helm = helmPath(4);
  const kubectl = kubectlPath();
  const namespaces = ENVS.map((e) => `${variant.name}-script-${e}`);
  const loop = async (): Promise<void> => {
    for (const env of ENVS) {
      const ns = `${variant.name}-script-${env}`;
      for (const app of apps) {
        const values = [`environments/${env}/values.yaml`, `environments/${env}/${app}/values.yaml`, `environments/${env}/${app}/image.yaml`].filter((p) => existsSync(join(work.dir, p)));
        const manifests = await run(helm, ['template', app, join(work.dir, variant.chartPath), '--namespace', ns, ...values.flatMap((p) => ['-f', join(work.dir, p)])]);
        await run(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--field-manager', 'bench-script', '--namespace', ns, '-f', '-'], manifests);
      }
    }
  };
  const t1 = performance.now();
  for (const ns of namespaces) await run(kubectl, ['--kubeconfig', kubeconfig, 'create', 'namespace', ns]);
  await loop();
  const applied = performance.now() - t1;
  while (!(await allAvailable(emulator.url, namespaces, deployments))) await sleep(50);
  const scripted = performance.now() - t1;
  const t2 = performance.now();
  await loop();
  const again = performance.now() - t2;
  console.log(`  [${variant.name}] scripted loop (helm template | kubectl apply --server-side, ${total} app × envs one after the other): ${s1(applied)} s to apply, ${s1(scripted)} s to all Available; re-run with nothing changed ${s1(again)} s`);
  console.log(`  [${variant.name}] sluice on the same ${total} app × envs: cold ${s1(cold)} s to all Synced+Healthy, no-change pass ${s2(pass)} s — sluice is ${(scripted / cold).toFixed(1)}× faster cold, ${(again / pass).toFixed(0)}× faster on a no-change pass`);
}

async function main(): Promise<void> {
  const nApps = arg('apps', 1000);
  const which = stringArg('variant') ?? 'all';
  const corpus = stringArg('chart-corpus') ?? process.env.SLUICE_CHART_CORPUS;
  const variants: Variant[] = [];
  if (which === 'all' || which === 'small') variants.push(await smallVariant());
  if (which === 'all' || which === 'chart') {
    const v = corpus ? chartVariant(corpus) : 'no chart corpus given (--chart-corpus DIR or SLUICE_CHART_CORPUS)';
    if (typeof v === 'string') console.log(`[chart] variant skipped: ${v}`);
    else variants.push(v);
  }
  for (const variant of variants) {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-scale-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const emulator = await startEmulatorProcess(kubeconfig);
    const git = await startGitHostProcess(join(dir, 'git'));
    const setup = { dir, git, emulator, kubeconfig };
    try {
      await atScale(setup, variant, nApps);
      const n = arg('scripted', 100);
      if (n > 0) await scriptedComparison(setup, variant, n);
    } finally {
      await stopProcess(git.child);
      await stopProcess(emulator.child);
      await rm(dir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
