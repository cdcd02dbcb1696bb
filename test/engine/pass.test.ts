import assert from 'node:assert/strict';
import type { Upstream } from '../../src/engine/conditions.js';
import type { AppEvent } from '../../src/engine/events.js';
import type { SyncAnswer } from '../../src/engine/ops-api.js';
import { ReconcilePasses } from '../../src/engine/pass.js';
import { subtree } from '../../src/engine/render.js';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import type { Snapshot } from '../../src/engine/types.js';
import { RefusedError } from '../../src/engine/errors.js';
import type { ReleaseRecord } from '../../src/history/release.js';
import type { KubeObject, ObjectRef } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { Metrics } from '../../src/metrics/registry.js';
import { CHART, sluiceYaml, snapshotOf } from '../support/config-repo.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const KEY = 'web/dev';
const CM = '/ConfigMap/shop/web';

/** A cluster whose reads fail, as an unreachable API server's do. */
class UnreachableCluster extends MemoryCluster {
  override async get(_ref: ObjectRef): Promise<KubeObject | undefined> {
    throw new Error('connect ECONNREFUSED 10.0.0.1:443');
  }
}

class Fixture {
  readonly cluster: MemoryCluster;
  readonly status = new StatusStore();
  readonly metrics = new Metrics({ defaultMetrics: false });
  snapshot: Snapshot | undefined;
  upstream: Upstream = {};
  readonly requeued: [string, number][] = [];
  readonly events: AppEvent[] = [];
  readonly tracked: string[] = [];
  readonly passes: ReconcilePasses;

  constructor(snapshot: Snapshot | undefined, cluster = new MemoryCluster()) {
    this.snapshot = snapshot;
    this.cluster = cluster;
    const self = this;
    this.passes = new ReconcilePasses(
      { stateNamespace: 'sluice-system', progressRequeueMs: 2_000, pollIntervalMs: 30_000 },
      {
        clusterFor: () => this.cluster, status: this.status, metrics: this.metrics, log: silentLogger,
        revisions: {
          get current() {
            return self.snapshot;
          },
          snapshotFor: (key) => (this.snapshot?.targets.has(key) ? this.snapshot : undefined),
          chartFiles: async (snap, t) => subtree(snap.files, t.chartPath),
          upstream: () => this.upstream,
        },
        requeue: (key, ms) => this.requeued.push([key, ms]),
        event: (e) => this.events.push(e),
        now: () => 1_000_000,
        kinds: { track: (key, context, objects) => this.tracked.push(`${key} ${context || '(own)'} ${objects.map((o) => o.kind).join(',')}`) },
      },
    );
  }

  get current(): AppEnvStatus | undefined {
    return this.status.get('web', 'dev');
  }

  /** A manual sync waiting for the next pass; resolves with its answer or error. */
  waitForSync(by = 'ana'): Promise<SyncAnswer | Error> {
    return new Promise((resolve) => this.passes.runtime(KEY).syncs.push({ by, resolve, reject: resolve }));
  }

  waitForRollback(): Promise<ReleaseRecord | Error> {
    return new Promise((resolve) => this.passes.runtime(KEY).requests.push({ resolve, reject: resolve }));
  }
}

const config = (syncPolicy?: string, chart: Record<string, string> = CHART): Snapshot => snapshotOf({ 'sluice.yaml': sluiceYaml(syncPolicy ? { syncPolicy } : {}), ...chart });
const BROKEN_CHART = { ...CHART, 'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | nosuchfunction }}\n' };

describe('engine/pass', () => {
  const cases: {
    name: string;
    snapshot: Snapshot;
    cluster?: MemoryCluster;
    upstream?: Upstream;
    syncStatus: string;
    message: RegExp;
    conditions: string[];
    applied: string[];
    events: string[];
    tracked: string[];
    requeued: [string, number][];
  }[] = [
    {
      name: 'an auto-synced app × env is applied, recorded Synced with an Event, and its kinds watched',
      snapshot: config(), syncStatus: 'Synced', message: /^synced aaaaaaa: release 1$/, conditions: [], applied: [CM], events: ['Synced'], tracked: ['web/dev (own) ConfigMap'], requeued: [[KEY, 300_000]],
    },
    {
      name: 'a manual policy leaves the drift OutOfSync and applies nothing',
      snapshot: config('{auto: false}'), syncStatus: 'OutOfSync', message: /^1 object\(s\) differ from git$/, conditions: [], applied: [], events: [], tracked: ['web/dev (own) ConfigMap'], requeued: [[KEY, 2_000]],
    },
    {
      name: 'a render failure is an Error with its condition; nothing is applied or watched',
      snapshot: config(undefined, BROKEN_CHART), syncStatus: 'Error', message: /^render failed at aaaaaaa: .*nosuchfunction/, conditions: ['RenderFailed'], applied: [], events: [], tracked: [], requeued: [],
    },
    {
      name: 'a rejected config upstream is shown over the pass',
      snapshot: config(), upstream: { configError: 'config at bbbbbbb rejected, keeping aaaaaaa: bad' }, syncStatus: 'Error', message: /^config at bbbbbbb rejected, keeping aaaaaaa: bad$/, conditions: ['ConfigRejected'], applied: [CM], events: ['Synced'], tracked: ['web/dev (own) ConfigMap'], requeued: [[KEY, 300_000]],
    },
    {
      name: 'a cluster that cannot be read is an Error, and the key is retried within 10 s',
      snapshot: config(), cluster: new UnreachableCluster(), syncStatus: 'Error', message: /^connect ECONNREFUSED 10\.0\.0\.1:443$/, conditions: [], applied: [], events: [], tracked: [], requeued: [[KEY, 10_000]],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const f = new Fixture(c.snapshot, c.cluster);
      if (c.upstream) f.upstream = c.upstream;
      await f.passes.run(KEY);
      assert.equal(f.current?.syncStatus, c.syncStatus);
      assert.match(f.current?.message ?? '', c.message);
      assert.deepEqual((f.current?.conditions ?? []).map((x) => x.reason), c.conditions);
      assert.deepEqual([...f.cluster.objects.keys()].filter((k) => k === CM), c.applied);
      assert.deepEqual(f.events.map((e) => e.reason), c.events);
      assert.deepEqual(f.tracked, c.tracked);
      assert.deepEqual(f.requeued, c.requeued);
    });
  }

  describe('waiting requests', () => {
    it('a manual sync is started by the pass and answered with its release', async () => {
      const f = new Fixture(config('{auto: false}'));
      const answer = f.waitForSync('ana');
      await f.passes.run(KEY);
      const a = await answer;
      assert.ok(!(a instanceof Error) && a.started, `answer: ${JSON.stringify(a)}`);
      assert.deepEqual([a.release.id, a.release.trigger, a.release.triggeredBy], [1, 'manual-sync', 'ana']);
    });

    it('a manual sync of an app × env in sync says so', async () => {
      const f = new Fixture(config());
      await f.passes.run(KEY);
      const answer = f.waitForSync();
      await f.passes.run(KEY);
      assert.deepEqual(await answer, { started: false, message: 'in sync with aaaaaaa' });
    });

    const refusals: { name: string; snapshot?: Snapshot; cluster?: MemoryCluster; code?: string; message: RegExp }[] = [
      { name: 'the config no longer declares the app × env', snapshot: snapshotOf({ 'sluice.yaml': sluiceYaml({ envs: ['prod'] }), ...CHART }), code: 'not-found', message: /^web\/dev is no longer in sluice\.yaml$/ },
      { name: 'no config was accepted yet', code: 'not-found', message: /^web\/dev is no longer in sluice\.yaml$/ },
      { name: 'the cluster cannot be read', snapshot: config(), cluster: new UnreachableCluster(), message: /^connect ECONNREFUSED/ },
      { name: 'the render failed', snapshot: config(undefined, BROKEN_CHART), code: 'unprocessable', message: /^render failed at aaaaaaa/ },
    ];
    for (const r of refusals) {
      it(`a waiting sync is refused when ${r.name}`, async () => {
        const f = new Fixture(r.snapshot, r.cluster);
        const answer = f.waitForSync();
        await f.passes.run(KEY);
        const a = await answer;
        assert.ok(a instanceof Error, `answer: ${JSON.stringify(a)}`);
        assert.match(a.message, r.message);
        assert.equal(a instanceof RefusedError ? a.code : undefined, r.code);
      });
    }

    it('a waiting rollback is refused when the app × env left the config', async () => {
      const f = new Fixture(undefined);
      const answer = f.waitForRollback();
      await f.passes.run(KEY);
      const a = await answer;
      assert.ok(a instanceof RefusedError);
      assert.equal(a.code, 'not-found');
    });
  });

  describe('markAll', () => {
    const cases: { name: string; before: boolean; upstream: Upstream; syncStatus: string; message: string; conditions: string[] }[] = [
      { name: 'a git outage keeps the last known sync status', before: true, upstream: { gitError: 'git unreachable since then' }, syncStatus: 'Synced', message: 'git unreachable since then', conditions: ['GitUnreachable'] },
      { name: 'a git outage before any pass is Unknown', before: false, upstream: { gitError: 'git unreachable since then' }, syncStatus: 'Unknown', message: 'git unreachable since then', conditions: ['GitUnreachable'] },
      { name: 'a rejected config is an Error', before: true, upstream: { configError: 'config at bbbbbbb rejected' }, syncStatus: 'Error', message: 'config at bbbbbbb rejected', conditions: ['ConfigRejected'] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const f = new Fixture(config());
        if (c.before) await f.passes.run(KEY);
        const writes = f.cluster.writes.length;
        f.upstream = c.upstream;
        f.passes.markAll();
        assert.deepEqual([f.current?.syncStatus, f.current?.message, (f.current?.conditions ?? []).map((x) => x.reason)], [c.syncStatus, c.message, c.conditions]);
        assert.equal(f.cluster.writes.length, writes, 'the cluster is not touched');
      });
    }
  });
});
