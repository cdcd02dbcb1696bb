/**
 * BuildRunner against an in-memory cluster: the test plays the Job controller and kubelet (sets
 * Job conditions, creates the pod with its node, termination message and log) and the clock.
 */
import assert from 'node:assert/strict';
import { DEFAULT_BUILD_SETTINGS } from '../../src/config/builds.js';
import type { BuildSettings, BuildSpec } from '../../src/config/types.js';
import { BuildRunner, type BuildFailure, type BumpRequest } from '../../src/build/runner.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { Metrics } from '../../src/metrics/registry.js';
import { MemoryCluster } from '../support/memory-cluster.js';
import type { BuildHistory } from '../../src/build/records.js';
import { keptRecordPorts } from '../../src/runtime/records.js';

const NS = DEFAULT_BUILD_SETTINGS.namespace;

const sha = (c: string) => c.repeat(40).slice(0, 40);

function spec(app: string, over: Partial<BuildSpec> = {}): BuildSpec {
  return {
    app, repo: `https://git.example.com/shop/${app}.git`, branches: ['main', 'feature/x'], context: '.', dockerfile: 'Dockerfile',
    image: `registry.example.com/shop/${app}`, registrySecret: 'regcred', pushLatest: false, env: 'dev',
    resources: { requests: {}, limits: {} }, ...over,
  };
}

class Harness {
  readonly cluster = new MemoryCluster();
  readonly heads = new Map<string, string>();
  readonly bumps: BumpRequest[] = [];
  readonly failures: BuildFailure[] = [];
  readonly metrics = new Metrics({ defaultMetrics: false });
  readonly tags = new Map<string, string>();
  bumpError: Error | undefined;
  sourceError: Error | undefined;
  now = Date.UTC(2026, 10, 23, 4, 12);
  private ids = 0;
  /** Where the runner keeps builds; set before newRunner(). */
  records: BuildHistory | undefined;
  runner: BuildRunner;

  constructor(readonly specs: BuildSpec[], readonly settings: BuildSettings = { ...DEFAULT_BUILD_SETTINGS, concurrency: 2 }) {
    this.runner = this.newRunner();
  }

  newRunner(): BuildRunner {
    const r = new BuildRunner(
      {
        cluster: this.cluster,
        sourceHead: async (url, branch) => {
          if (this.sourceError) throw this.sourceError;
          const head = this.heads.get(`${url}#${branch}`);
          if (!head) throw new Error(`${url}: no branch ${branch}`);
          return head;
        },
        bump: async (req) => {
          if (this.bumpError) throw this.bumpError;
          const changed = this.tags.get(`${req.app}/${req.env}`) !== req.tag;
          this.tags.set(`${req.app}/${req.env}`, req.tag);
          if (changed) this.bumps.push(req);
          return { sha: sha(String(this.bumps.length)), changed };
        },
        notify: async (f) => void this.failures.push(f),
        log: silentLogger,
        metrics: this.metrics,
        now: () => this.now,
        newId: () => `b${++this.ids}`,
        ...(this.records ? { records: this.records } : {}),
      },
      { pollIntervalMs: 30_000, checkIntervalMs: 1_000, logUrl: (id) => `https://sluice.example.com/api/v1/builds/${id}/logs` },
    );
    r.configure({ specs: this.specs, settings: this.settings, currentTag: (app, env) => this.tags.get(`${app}/${env}`) });
    return r;
  }

  push(app: string, head: string, branch = 'main'): void {
    this.heads.set(`${this.specs.find((s) => s.app === app)?.repo}#${branch}`, head);
  }

  async tick(advanceMs = 0): Promise<void> {
    this.now += advanceMs;
    await this.runner.tick();
  }

  jobs(): KubeObject[] {
    return [...this.cluster.objects.values()].filter((o) => o.kind === 'Job');
  }

  job(buildId: string): KubeObject {
    const j = this.jobs().find((o) => o.metadata.labels?.['sluice.dev/build-id'] === buildId);
    assert.ok(j, `no Job for build ${buildId}`);
    return j;
  }

  /** Plays the Job controller and kubelet: the Job's pod ran on `node` and ended. */
  async finishJob(buildId: string, ok: boolean, node = 'node-1', log = 'INFO pushed\n'): Promise<void> {
    const job = this.job(buildId);
    const name = job.metadata.name ?? '';
    const terminated = ok ? { exitCode: 0, reason: 'Completed', message: `sha256:${'ab'.repeat(32)}` } : { exitCode: 1, reason: 'Error', message: 'error building image: RUN make failed' };
    await this.cluster.apply({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-x1`, namespace: NS, labels: { 'job-name': name }, creationTimestamp: new Date(this.now).toISOString() },
      spec: { nodeName: node }, status: { phase: ok ? 'Succeeded' : 'Failed', containerStatuses: [{ name: 'kaniko', state: { terminated } }] },
    }, { fieldManager: 'test', force: true });
    this.cluster.logs.set(`${NS}/${name}-x1`, log);
    await this.cluster.apply({ ...job, status: { conditions: [{ type: ok ? 'Complete' : 'Failed', status: 'True', ...(ok ? {} : { reason: 'BackoffLimitExceeded' }) }] } }, { fieldManager: 'test', force: true });
  }

  states(): Record<string, string> {
    return Object.fromEntries(this.runner.list().map((b) => [b.id, b.state]));
  }
}

async function metric(m: Metrics, name: string): Promise<string> {
  return (await m.registry.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#')).join('\n');
}

describe('build/runner', () => {
  it('builds a new main-branch head, then bumps the env with the pushed tag', async () => {
    const h = new Harness([spec('web')]);
    h.push('web', sha('a'));
    await h.tick();
    assert.deepEqual(h.states(), { b1: 'Running' });
    const job = h.job('b1');
    assert.equal(job.metadata.namespace, NS);
    assert.equal(job.metadata.annotations?.['sluice.dev/image-tags'], 'aaaaaaa.20261123-0412');
    await h.finishJob('b1', true, 'node-2', 'INFO Pushing image to registry.example.com/shop/web:aaaaaaa.20261123-0412\n');
    await h.tick(5_000);
    const b = h.runner.get('b1');
    assert.equal(b?.state, 'Succeeded');
    assert.equal(b?.digest, `sha256:${'ab'.repeat(32)}`);
    assert.equal(b?.node, 'node-2');
    assert.deepEqual(b?.bump, { state: 'committed', commit: sha('1') });
    assert.deepEqual(h.bumps, [{ app: 'web', env: 'dev', tag: 'aaaaaaa.20261123-0412', sourceSha: sha('a'), buildId: 'b1', image: 'registry.example.com/shop/web' }]);
    assert.match((await h.runner.buildLog('b1')) ?? '', /Pushing image/);
    assert.match(await metric(h.metrics, 'sluice_builds_total'), /app="web",result="succeeded"} 1/);
    assert.match(await metric(h.metrics, 'sluice_config_commits_total'), /kind="bump",app="web",env="dev",result="committed"} 1/);
  });

  it('does not rebuild a head the env already runs, nor an unchanged head, nor the first head of another branch', async () => {
    const h = new Harness([spec('web')]);
    h.tags.set('web/dev', 'aaaaaaa.20261101-0000');
    h.push('web', sha('a'));
    h.push('web', sha('f'), 'feature/x');
    await h.tick();
    await h.tick(30_000);
    assert.deepEqual(h.states(), {});
    h.push('web', sha('e'), 'feature/x');
    await h.tick(30_000);
    assert.deepEqual(h.states(), { b1: 'Running' });
    await h.finishJob('b1', true);
    await h.tick(1_000);
    assert.equal(h.runner.get('b1')?.bump?.state, 'skipped');
    assert.deepEqual(h.bumps, []);
    assert.equal(h.job('b1').metadata.annotations?.['sluice.dev/image-tags'], 'eeeeeee.20261123-0413-feature-x');
  });

  it('keeps to the concurrency quota in FIFO order and lets a newer commit supersede a queued one', async () => {
    const h = new Harness([spec('web'), spec('api'), spec('db')]);
    for (const [app, c] of [['web', 'a'], ['api', 'b'], ['db', 'c']]) h.push(app, sha(c));
    await h.tick();
    assert.deepEqual(h.states(), { b1: 'Running', b2: 'Running', b3: 'Queued' });
    assert.match(await metric(h.metrics, 'sluice_build_queue_depth'), /state="queued"} 1\n.*state="running"} 2/);
    h.push('db', sha('d'));
    await h.tick(30_000);
    assert.deepEqual(h.states(), { b1: 'Running', b2: 'Running', b3: 'Cancelled', b4: 'Queued' });
    await h.finishJob('b2', true);
    await h.tick(1_000);
    assert.deepEqual(h.states(), { b1: 'Running', b2: 'Succeeded', b3: 'Cancelled', b4: 'Running' });
    assert.equal(h.job('b4').metadata.annotations?.['sluice.dev/source-sha'], sha('d'));
  });

  it('reports a failed build with the exit code and a log link, and bumps nothing', async () => {
    const h = new Harness([spec('web')]);
    h.push('web', sha('a'));
    await h.tick();
    await h.finishJob('b1', false, 'node-1', 'INFO Retrieving image\nerror building image: RUN make failed\n');
    await h.tick(1_000);
    assert.equal(h.runner.get('b1')?.state, 'Failed');
    assert.deepEqual(h.failures, [{
      app: 'web', commit: sha('a'), branch: 'main', buildId: 'b1',
      reason: 'kaniko exited with code 1 (Error): error building image: RUN make failed',
      logUrl: 'https://sluice.example.com/api/v1/builds/b1/logs',
    }]);
    assert.deepEqual(h.bumps, []);
    assert.match((await h.runner.buildLog('b1')) ?? '', /RUN make failed/);
  });

  it('never lets an older build that finishes late replace a newer one already deployed', async () => {
    const h = new Harness([spec('web')]);
    h.push('web', sha('a'));
    await h.tick();
    h.push('web', sha('b'));
    await h.tick(30_000);
    assert.deepEqual(h.states(), { b1: 'Running', b2: 'Running' });
    await h.finishJob('b2', true);
    await h.tick(1_000);
    await h.finishJob('b1', true);
    await h.tick(1_000);
    assert.deepEqual(h.bumps.map((b) => b.buildId), ['b2']);
    assert.deepEqual(h.runner.get('b1')?.bump, { state: 'skipped', reason: 'a newer build of this app is already deployed' });
  });

  it('retries a failed bump with backoff until the config repo takes it', async () => {
    const h = new Harness([spec('web')]);
    h.push('web', sha('a'));
    await h.tick();
    await h.finishJob('b1', true);
    h.bumpError = new Error('git push: connection refused');
    await h.tick(1_000);
    assert.deepEqual(h.runner.get('b1')?.bump, { state: 'failed', error: 'git push: connection refused' });
    await h.tick(1_000);
    assert.equal(h.runner.get('b1')?.bump?.state, 'failed');
    h.bumpError = undefined;
    await h.tick(1_000);
    assert.equal(h.runner.get('b1')?.bump?.state, 'committed');
    assert.equal(h.bumps.length, 1);
  });

  it('after a restart adopts running build Jobs instead of starting them again', async () => {
    const h = new Harness([spec('web')]);
    h.push('web', sha('a'));
    await h.tick();
    h.runner = h.newRunner();
    await h.tick(1_000);
    assert.deepEqual(h.states(), { b1: 'Running' });
    assert.equal(h.jobs().length, 1);
    await h.finishJob('b1', true);
    await h.tick(1_000);
    assert.equal(h.runner.get('b1')?.bump?.state, 'committed');
    assert.equal(h.bumps.length, 1);
  });

  it('keeps builds in the cluster: a restart lists them as before, after the Jobs are gone, and a no-change round writes nothing', async () => {
    const h = new Harness([spec('web'), spec('api')]);
    const kept = () => keptRecordPorts(h.cluster, 'sluice-system', silentLogger).builds;
    h.records = kept();
    h.runner = h.newRunner();
    h.push('web', sha('a'));
    h.push('api', sha('b'));
    await h.tick();
    await h.finishJob('b1', true);
    await h.finishJob('b2', false);
    await h.tick(1_000);
    h.push('web', sha('c'));
    await h.tick(30_000);
    const before = h.runner.list();
    assert.deepEqual(before.map((b) => [b.id, b.state, b.bump?.state]), [['b3', 'Running', undefined], ['b2', 'Failed', undefined], ['b1', 'Succeeded', 'committed']]);
    const configMapWrites = () => h.cluster.writes.filter((w) => w.subject.startsWith('ConfigMap/')).length;
    const written = configMapWrites();
    await h.tick(1_000);
    await h.tick(1_000);
    assert.equal(configMapWrites(), written, 'no-change rounds write no record');
    // The finished Jobs are gone (ttlSecondsAfterFinished) when the new process starts.
    for (const id of ['b1', 'b2']) await h.cluster.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: h.job(id).metadata.name ?? '' });
    h.records = kept();
    h.runner = h.newRunner();
    await h.tick(1_000);
    // (The failed head of api is built again, as before this store: a first poll does not know it was tried.)
    const after = h.runner.list().filter((b) => before.some((x) => x.id === b.id));
    assert.deepEqual(after.map((b) => ({ ...b, message: b.id === 'b3' ? undefined : b.message })), before.map((b) => ({ ...b, message: b.id === 'b3' ? undefined : b.message })));
    assert.equal(h.bumps.length, 1, 'the deployed build is not bumped again');
  });

  it('a replica that takes over reads the builds another one kept, newer than its own', async () => {
    const h = new Harness([spec('web')]);
    h.records = keptRecordPorts(h.cluster, 'sluice-system', silentLogger).builds;
    const standby = h.newRunner();
    await standby.tick();
    h.push('web', sha('a'));
    h.records = keptRecordPorts(h.cluster, 'sluice-system', silentLogger).builds;
    h.runner = h.newRunner();
    await h.tick();
    await standby.tick();
    await h.finishJob('b1', true);
    await h.tick(1_000);
    const leader = h.runner.list();
    assert.deepEqual(standby.list(), [], 'read once at its start');
    standby.reload();
    await standby.tick();
    assert.deepEqual(standby.list(), leader);
    assert.equal(h.bumps.length, 1);
  });

  it('keeps every build in memory while the cluster refuses the records, and writes them once it takes them', async () => {
    const h = new Harness([spec('web')]);
    let down = false;
    const store = keptRecordPorts(h.cluster, 'sluice-system', silentLogger).builds;
    h.records = { load: () => store.load(), save: async (b) => (down ? Promise.reject(new Error('503 Service Unavailable')) : store.save(b)) };
    h.runner = h.newRunner();
    h.push('web', sha('a'));
    await h.tick();
    down = true;
    await h.finishJob('b1', true);
    await h.tick(1_000);
    assert.equal(h.runner.get('b1')?.state, 'Succeeded');
    down = false;
    await h.tick(1_000);
    const stored = await keptRecordPorts(h.cluster, 'sluice-system', silentLogger).builds.load();
    assert.deepEqual(stored.map((s) => [s.build.id, s.build.state, s.extras.bump?.state]), [['b1', 'Succeeded', 'committed']]);
  });

  it('bumps a build found finished after a restart when its head is still not deployed', async () => {
    const h = new Harness([spec('web')]);
    h.push('web', sha('a'));
    await h.tick();
    await h.finishJob('b1', true);
    h.runner = h.newRunner();
    await h.tick(1_000);
    assert.deepEqual(h.states(), { b1: 'Succeeded' });
    assert.deepEqual(h.bumps.map((b) => [b.buildId, b.tag]), [['b1', 'aaaaaaa.20261123-0412']]);
  });

  it('prefers the nodes of the app\'s last builds, most recent first', async () => {
    const h = new Harness([spec('web')]);
    for (const [c, node] of [['a', 'node-3'], ['b', 'node-1']]) {
      h.push('web', sha(c));
      await h.tick(30_000);
      await h.finishJob(`b${c === 'a' ? 1 : 2}`, true, node);
      await h.tick(1_000);
    }
    h.push('web', sha('c'));
    await h.tick(30_000);
    const terms = (h.job('b3').spec as { template: { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: number; preference: { matchExpressions: { values: string[] }[] } }[] } } } } }).template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    assert.deepEqual(terms.map((t) => [t.weight, t.preference.matchExpressions[0].values[0]]), [[100, 'node-1'], [90, 'node-3']]);
  });

  it('fails a build whose Job disappeared, and one whose Job cannot be created', async () => {
    const h = new Harness([spec('web'), spec('ssh', { repo: 'git@git.example.com:shop/ssh.git' })]);
    h.push('web', sha('a'));
    h.push('ssh', sha('b'));
    await h.tick();
    assert.match(h.runner.get('b2')?.message ?? '', /cannot start the build Job: app ssh: repo .* \(only http/);
    await h.cluster.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: NS, name: h.job('b1').metadata.name ?? '' });
    await h.tick(1_000);
    assert.match(h.runner.get('b1')?.message ?? '', /was deleted before it finished/);
    assert.equal(h.failures.length, 2);
  });

  it('shows a source error and keeps the last head; a webhook push queues the build for any form of the repo URL', async () => {
    const h = new Harness([spec('web')]);
    h.tags.set('web/dev', 'aaaaaaa.x');
    h.push('web', sha('a'));
    await h.tick();
    h.sourceError = new Error('ls-remote: 503');
    await h.tick(30_000);
    assert.deepEqual(h.runner.sourceStatus().map((s) => [s.branch, s.head, s.error]), [['main', sha('a'), 'ls-remote: 503'], ['feature/x', undefined, 'ls-remote: 503']]);
    const queued = await h.runner.sourcePushed({ url: 'git@git.example.com:shop/web', branch: 'main', sha: sha('c') });
    assert.deepEqual(queued.map((b) => [b.app, b.commit]), [['web', sha('c')]]);
    assert.deepEqual(await h.runner.sourcePushed({ url: 'https://git.example.com/shop/other.git', branch: 'main', sha: sha('d') }), []);
  });

  it('bumps the apps of an image pushed elsewhere, once per tag', async () => {
    const h = new Harness([spec('web'), spec('api'), spec('web2', { image: 'REGISTRY.example.com/shop/web', env: 'test' })]);
    const push = { repository: 'registry.example.com/shop/web', tag: '9.9.9', digest: `sha256:${'c'.repeat(64)}` };
    const out = await h.runner.imagePushed(push, 'harbor');
    assert.deepEqual(out.map((b) => [b.app, b.env, b.tag, b.changed]), [['web', 'dev', '9.9.9', true], ['web2', 'test', '9.9.9', true]]);
    assert.deepEqual(h.bumps.map((b) => [b.app, b.buildId, b.digest, b.sourceSha]), [['web', 'registry-harbor', push.digest, undefined], ['web2', 'registry-harbor', push.digest, undefined]]);
    assert.deepEqual((await h.runner.imagePushed(push, 'harbor')).map((b) => b.changed), [false, false]);
    h.bumpError = new Error('git push refused');
    assert.deepEqual((await h.runner.imagePushed({ ...push, tag: '9.9.10' }, 'generic')).map((b) => b.error), ['git push refused', 'git push refused']);
  });
});
