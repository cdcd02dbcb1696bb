import assert from 'node:assert/strict';
import type { AppEnvTarget } from '../../src/engine/appenv.js';
import { AppEnvWriter, UNPLACED_REVISION_GRACE_MS, WRITE_CONCURRENCY } from '../../src/engine/appenv-writer.js';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { FakeClock } from '../support/fake-clock.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const NS = 'sluice-system';

function status(app: string, env: string, over: Partial<AppEnvStatus> = {}): AppEnvStatus {
  return { app, env, revision: 'abc123', syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: 'in sync', namespace: `${app}-${env}`, resources: [], ...over };
}

function setup(cluster = new MemoryCluster()) {
  const targets = new Map<string, AppEnvTarget>([['web/dev', { app: 'web', env: 'dev', cluster: '', namespace: 'web-dev' }], ['web/prod', { app: 'web', env: 'prod', cluster: 'east', namespace: 'web-prod' }]]);
  let now = Date.parse('2026-01-01T00:00:00Z');
  const writer = new AppEnvWriter({ cluster, namespace: NS, target: (app, env) => targets.get(`${app}/${env}`), now: () => now, log: silentLogger });
  return { cluster, targets, writer, tick: (ms: number) => { now += ms; } };
}

function stored(cluster: MemoryCluster, name: string): KubeObject | undefined {
  return [...cluster.objects.values()].find((o) => o.kind === 'AppEnvironment' && o.metadata.name === name && o.metadata.namespace === NS);
}

const appenvWrites = (c: MemoryCluster) => c.writes.filter((w) => w.subject.startsWith('AppEnvironment/'));

describe('engine/appenv-writer', () => {
  it('writes spec and status once, then nothing while the status does not change', async () => {
    const { cluster, writer, tick } = setup();
    await writer.write(status('web', 'dev'));
    assert.deepEqual(appenvWrites(cluster).map((w) => w.verb), ['apply', 'apply-status']);
    const obj = stored(cluster, 'web-dev');
    assert.deepEqual(obj?.spec, { app: 'web', env: 'dev', cluster: '', namespace: 'web-dev' });
    assert.equal((obj?.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status, 'True');
    for (let i = 0; i < 5; i++) {
      tick(30_000);
      await writer.write(status('web', 'dev'));
    }
    assert.equal(appenvWrites(cluster).length, 2, 'no write for an unchanged status, whatever the time');
  });

  it('a changed status writes only the status; a changed target re-applies the spec', async () => {
    const { cluster, writer, targets } = setup();
    await writer.write(status('web', 'prod'));
    await writer.write(status('web', 'prod', { health: 'Degraded' }));
    assert.deepEqual(appenvWrites(cluster).map((w) => w.verb), ['apply', 'apply-status', 'apply-status']);
    assert.equal((stored(cluster, 'web-prod')?.status as { health: string }).health, 'Degraded');
    targets.set('web/prod', { app: 'web', env: 'prod', cluster: 'west', namespace: 'web-prod' });
    await writer.write(status('web', 'prod', { health: 'Degraded' }));
    assert.deepEqual(appenvWrites(cluster).map((w) => w.verb).slice(3), ['apply']);
    assert.equal((stored(cluster, 'web-prod')?.spec as { cluster: string }).cluster, 'west');
  });

  it('follows a StatusStore: every set is a candidate, only changes are written', async () => {
    const { cluster, writer } = setup();
    const store = new StatusStore();
    writer.follow(store);
    store.set(status('web', 'dev'));
    store.set(status('web', 'dev'));
    store.set(status('web', 'dev', { syncStatus: 'OutOfSync' }));
    await writer.write(status('web', 'dev', { syncStatus: 'OutOfSync' })); // waits for the queued writes of the key
    assert.deepEqual(appenvWrites(cluster).map((w) => w.verb), ['apply', 'apply-status', 'apply-status']);
    assert.equal((stored(cluster, 'web-dev')?.status as { sync: string }).sync, 'OutOfSync');
  });

  it('an app × env without a target is not written', async () => {
    const { cluster, writer } = setup();
    await writer.write(status('gone', 'dev'));
    assert.equal(appenvWrites(cluster).length, 0);
  });

  it('a failed write is tried again on the next status', async () => {
    const { cluster, writer } = setup();
    const applyStatus = cluster.applyStatus.bind(cluster);
    let fail = true;
    cluster.applyStatus = async (obj, o) => {
      if (fail) throw new Error('apply status failed (InternalError)');
      return applyStatus(obj, o);
    };
    await writer.write(status('web', 'dev'));
    assert.equal(stored(cluster, 'web-dev')?.status, undefined);
    fail = false;
    await writer.write(status('web', 'dev'));
    assert.equal((stored(cluster, 'web-dev')?.status as { sync: string }).sync, 'Synced');
  });

  it('retain deletes the objects of app × envs no longer declared, also those left from before', async () => {
    const { cluster, writer } = setup();
    await writer.write(status('web', 'dev'));
    await writer.write(status('web', 'prod'));
    await cluster.apply({ apiVersion: 'sluice.dev/v1alpha1', kind: 'AppEnvironment', metadata: { name: 'old-dev', namespace: NS, labels: { 'sluice.dev/app': 'old', 'sluice.dev/env': 'dev' } }, spec: { app: 'old', env: 'dev' } }, { fieldManager: 'sluice', force: true });
    await writer.retain(new Set(['web/dev']));
    assert.ok(stored(cluster, 'web-dev'));
    assert.equal(stored(cluster, 'web-prod'), undefined);
    assert.equal(stored(cluster, 'old-dev'), undefined);
  });

  it('a status that comes while its app × env is being written waits, and a newer one replaces it', async () => {
    const { cluster, writer } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const apply = cluster.apply.bind(cluster);
    cluster.apply = async (obj, o) => { await gate; return apply(obj, o); };
    const first = writer.write(status('web', 'dev'));
    await new Promise((r) => setImmediate(r));
    const skipped = writer.write(status('web', 'dev', { health: 'Progressing' }));
    const last = writer.write(status('web', 'dev', { health: 'Degraded' }));
    release();
    await Promise.all([first, skipped, last]);
    assert.deepEqual(appenvWrites(cluster).map((w) => w.verb), ['apply', 'apply-status', 'apply-status']);
    assert.equal((stored(cluster, 'web-dev')?.status as { health: string }).health, 'Degraded');
  });

  it(`keeps at most ${WRITE_CONCURRENCY} writes under way`, async () => {
    const cluster = new MemoryCluster();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    let inFlight = 0;
    let most = 0;
    const apply = cluster.apply.bind(cluster);
    cluster.apply = async (obj, o) => {
      most = Math.max(most, ++inFlight);
      await gate;
      inFlight--;
      return apply(obj, o);
    };
    const writer = new AppEnvWriter({ cluster, namespace: NS, target: (app, env) => ({ app, env, cluster: '', namespace: `${app}-${env}` }), now: () => 0, log: silentLogger });
    const writes = Array.from({ length: 30 }, (_, i) => writer.write(status(`app${i}`, 'dev')));
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all(writes);
    assert.equal(most, WRITE_CONCURRENCY);
    assert.equal(appenvWrites(cluster).length, 60);
  });

  it('a status that only moves the revision waits behind the others, and while the controller is busy', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock();
    let busy = false;
    const target = (app: string, env: string): AppEnvTarget => ({ app, env, cluster: '', namespace: `${app}-${env}` });
    const writer = new AppEnvWriter({ cluster, namespace: NS, target, now: () => 0, log: silentLogger, busy: () => busy, clock });
    await Promise.all(['a', 'b', 'c'].map((app) => writer.write(status(app, 'dev'))));
    const revisionOf = (app: string) => (stored(cluster, `${app}-dev`)?.status as { revision: string }).revision;
    busy = true;
    let routineDone = false;
    const routine = writer.write(status('a', 'dev', { revision: 'def456' })).then(() => (routineDone = true));
    await writer.write(status('b', 'dev', { revision: 'def456', health: 'Degraded' }));
    await writer.write(status('c', 'dev', { revision: 'def456', syncStatus: 'OutOfSync' }));
    await clock.advance(1_000);
    assert.deepEqual([revisionOf('a'), revisionOf('b'), revisionOf('c'), routineDone], ['abc123', 'def456', 'def456', false], 'only the revision moved: it waits while busy');
    busy = false;
    await clock.advance(100);
    await routine;
    assert.equal(revisionOf('a'), 'def456');
    // A routine write made urgent while it waits goes at once.
    busy = true;
    const later = writer.write(status('a', 'dev', { revision: 'fff000' }));
    await clock.advance(1_000);
    assert.equal(revisionOf('a'), 'def456');
    await writer.write(status('a', 'dev', { revision: 'fff000', health: 'Progressing' }));
    await later;
    assert.equal(revisionOf('a'), 'fff000');
    await writer.stop();
  });

  describe('retain of an object written at another revision (a leader behind the shard owner)', () => {
    const HEAD = 'b'.repeat(40);
    const NEWER = 'c'.repeat(40);
    const OLDER = 'a'.repeat(40);
    const UNPLACED = 'd'.repeat(40);
    const THROWS = 'e'.repeat(40);
    const placed = new Map<string, boolean>([[NEWER, true], [OLDER, false], [HEAD, false]]);
    const newerRevision = async (sha: string): Promise<boolean | undefined> => {
      if (sha === THROWS) throw new Error('cannot read the commit');
      return placed.get(sha);
    };
    const cases: { name: string; revision: string; writtenAgoMs?: number; kept: boolean; keptAfterGrace?: boolean }[] = [
      { name: 'at a newer commit: kept, however old the write', revision: NEWER, writtenAgoMs: 3_600_000, kept: true, keptAfterGrace: true },
      { name: 'at an older commit: deleted', revision: OLDER, writtenAgoMs: 0, kept: false },
      { name: 'at the same commit: deleted', revision: HEAD, kept: false },
      { name: 'with no revision: deleted', revision: '', kept: false },
      { name: 'at a commit not placed, written a minute ago: kept until the grace passed', revision: UNPLACED, writtenAgoMs: 60_000, kept: true, keptAfterGrace: false },
      { name: 'at a commit not placed, written long ago: deleted', revision: UNPLACED, writtenAgoMs: UNPLACED_REVISION_GRACE_MS, kept: false },
      { name: 'at a commit not placed, no write time: kept until the grace passed from first seen', revision: UNPLACED, kept: true, keptAfterGrace: false },
      { name: 'when placing fails: as not placed', revision: THROWS, kept: true, keptAfterGrace: false },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const cluster = new MemoryCluster();
        let now = Date.parse('2026-01-01T00:00:00Z');
        const writer = new AppEnvWriter({ cluster, namespace: NS, target: () => undefined, now: () => now, log: silentLogger, newerRevision });
        const managedFields = c.writtenAgoMs === undefined ? [] : [{ manager: 'sluice', operation: 'Apply', time: new Date(now - c.writtenAgoMs).toISOString() }];
        await cluster.apply({ apiVersion: 'sluice.dev/v1alpha1', kind: 'AppEnvironment', metadata: { name: 'new-dev', namespace: NS, labels: { 'sluice.dev/app': 'new', 'sluice.dev/env': 'dev' }, managedFields }, spec: { app: 'new', env: 'dev' } }, { fieldManager: 'sluice', force: true });
        await cluster.applyStatus({ apiVersion: 'sluice.dev/v1alpha1', kind: 'AppEnvironment', metadata: { name: 'new-dev', namespace: NS }, status: { revision: c.revision } }, { fieldManager: 'sluice', force: true });
        await writer.retain(new Set(['web/dev']));
        assert.equal(stored(cluster, 'new-dev') !== undefined, c.kept);
        if (!c.kept) return;
        now += UNPLACED_REVISION_GRACE_MS - (c.writtenAgoMs ?? 0) - 1;
        await writer.retain(new Set(['web/dev']));
        assert.ok(stored(cluster, 'new-dev'), 'kept within the grace');
        now += 1;
        await writer.retain(new Set(['web/dev']));
        assert.equal(stored(cluster, 'new-dev') !== undefined, c.keptAfterGrace);
      });
    }
  });

  it('retain waits for a write under way of a leaving app × env, so its object does not come back', async () => {
    const { cluster, writer, targets } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const apply = cluster.apply.bind(cluster);
    cluster.apply = async (obj, o) => { await gate; return apply(obj, o); };
    const writing = writer.write(status('web', 'prod'));
    await new Promise((r) => setImmediate(r));
    targets.delete('web/prod');
    const retaining = writer.retain(new Set(['web/dev']));
    release();
    await Promise.all([writing, retaining]);
    assert.equal(stored(cluster, 'web-prod'), undefined);
  });

  it('stop waits for the write under way and takes no more: a replica that stopped leading writes nothing after', async () => {
    const { cluster, writer } = setup();
    const under = writer.write(status('web', 'dev'));
    await writer.stop();
    const after = appenvWrites(cluster).length;
    assert.deepEqual(appenvWrites(cluster).map((w) => w.verb), ['apply', 'apply-status'], 'the write under way finished before stop resolved');
    await under;
    await writer.write(status('web', 'dev', { health: 'Degraded' }));
    assert.equal(appenvWrites(cluster).length, after);
  });

  it('ensureCrd applies the CRD once, and says false when it cannot', async () => {
    const { cluster, writer } = setup();
    assert.equal(await writer.ensureCrd(), true);
    assert.equal(await writer.ensureCrd(), true);
    assert.deepEqual(cluster.writes.filter((w) => w.subject.startsWith('CustomResourceDefinition/')).map((w) => w.verb), ['apply']);
    const broken = new MemoryCluster();
    broken.apply = async () => { throw new Error('apply failed (Forbidden)'); };
    assert.equal(await setup(broken).writer.ensureCrd(), false);
  });
});
