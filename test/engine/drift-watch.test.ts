/**
 * DriftWatcher on a MemoryCluster: the scenarios in test/fixtures/engine/drift-watch.yaml
 * (debounce per app × env, ownership labels, track() starting and stopping watches, unserved
 * kinds, repeated resourceVersions), plus contexts and stop(). Time is a FakeClock the test steps:
 * nothing sleeps, and a slow machine cannot split a burst across a debounce window.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { DriftWatcher, type WatchedKind } from '../../src/engine/drift-watch.js';
import type { ClusterClient, WatchEvent, WatchHandle, WatchOptions } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { LogFields, Logger, LogLevel } from '../../src/log/logger.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { MemoryCluster } from '../support/memory-cluster.js';

interface Step {
  track?: string[];
  apply?: string;
  delete?: string;
  labels?: string;
  app?: string;
  data?: string;
  wait?: boolean;
  replay?: boolean;
}

interface Case {
  name: string;
  steps: Step[];
  calls: string[];
  watches: number;
  logs?: string[];
}

const DEBOUNCE = 20;
const API_VERSIONS: Record<string, string> = { ConfigMap: 'v1', Secret: 'v1', Deployment: 'apps/v1', Widget: 'example.com/v1' };
const cases = parse(readFileSync(resolve('test/fixtures/engine/drift-watch.yaml'), 'utf8')) as Case[];

/** A MemoryCluster whose watchers can be sent the last event again. */
class ReplayCluster extends MemoryCluster {
  private readonly handlers: ((e: WatchEvent) => void)[] = [];
  last: WatchEvent | undefined;

  constructor() {
    super();
    this.unserved.add('Widget');
  }

  override watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (e: WatchEvent) => void, onError?: (err: Error) => void): WatchHandle {
    const wrapped = (e: WatchEvent) => {
      this.last = e;
      onEvent(e);
    };
    this.handlers.push(wrapped);
    return super.watch(apiVersion, kind, options, wrapped, onError);
  }

  replay(): void {
    const e = this.last;
    if (e) for (const h of this.handlers) h(e);
  }
}

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    log(level: LogLevel, msg: string, fields: LogFields = {}) {
      lines.push(`${level} ${msg} ${JSON.stringify(fields)}`);
    },
    with: () => logger,
  };
  return logger;
}

function object(ref: string, step: Step): KubeObject {
  const [kind, name] = ref.split('/');
  const [app, env] = step.labels?.split('/') ?? [step.app];
  const labels: Record<string, string> = {};
  if (app) labels['sluice.dev/app'] = app;
  if (env) labels['sluice.dev/env'] = env;
  return { apiVersion: API_VERSIONS[kind], kind, metadata: { name, namespace: 'default', labels }, data: { v: step.data ?? '' } };
}

const kinds = (names: string[]): WatchedKind[] => names.map((kind) => ({ apiVersion: API_VERSIONS[kind], kind }));

async function run(cluster: ReplayCluster, watcher: DriftWatcher, clock: FakeClock, step: Step): Promise<void> {
  if (step.track) watcher.track('', kinds(step.track));
  else if (step.apply) await cluster.apply(object(step.apply, step), { fieldManager: 'someone', force: true });
  else if (step.delete) await cluster.delete({ apiVersion: API_VERSIONS[step.delete.split('/')[0]], kind: step.delete.split('/')[0], namespace: 'default', name: step.delete.split('/')[1] });
  else if (step.replay) cluster.replay();
  else if (step.wait) await clock.advance(DEBOUNCE * 3);
  // Discovery answers asynchronously: let a track() settle. Writes need no pause: time stands
  // still until the test advances it, so a burst of writes stays inside one debounce window.
  if (step.track) await settle();
}

describe('engine/drift-watch', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const cluster = new ReplayCluster();
      const calls: string[] = [];
      const logs: string[] = [];
      const clock = new FakeClock();
      const watcher = new DriftWatcher(() => cluster, (key, e) => calls.push(`${key} ${e.type} ${e.object.kind}/${e.object.metadata.name}`), { debounceMs: DEBOUNCE, clock }, recordingLogger(logs));
      try {
        for (const step of c.steps) await run(cluster, watcher, clock, step);
        await clock.advance(DEBOUNCE * 3);
        assert.deepEqual(calls, c.calls);
        assert.equal(cluster.watchCount, c.watches);
        for (const l of c.logs ?? []) assert.ok(logs.some((line) => line.includes(l)), `no log line with "${l}" in:\n${logs.join('\n')}`);
      } finally {
        watcher.stop();
      }
    });
  }

  it('watches each context in its own cluster', async () => {
    const clusters = new Map<string, MemoryCluster>([['a', new MemoryCluster()], ['b', new MemoryCluster()]]);
    const calls: string[] = [];
    const clock = new FakeClock();
    const watcher = new DriftWatcher((ctx) => clusters.get(ctx) as ClusterClient, (key) => calls.push(key), { debounceMs: DEBOUNCE, clock });
    watcher.track('a', kinds(['ConfigMap']));
    await settle();
    assert.deepEqual([clusters.get('a')?.watchCount, clusters.get('b')?.watchCount], [1, 0]);
    assert.deepEqual(watcher.active(), ['a v1 ConfigMap']);
    await clusters.get('b')?.apply(object('ConfigMap/x', { labels: 'web/prod' }), { fieldManager: 'x', force: true });
    await clusters.get('a')?.apply(object('ConfigMap/y', { labels: 'api/prod' }), { fieldManager: 'x', force: true });
    await clock.advance(DEBOUNCE * 3);
    watcher.stop();
    assert.deepEqual(calls, ['api/prod']);
  });

  it('stop() ends every watch and drops pending calls', async () => {
    const cluster = new MemoryCluster();
    const calls: string[] = [];
    const clock = new FakeClock();
    const watcher = new DriftWatcher(() => cluster, (key) => calls.push(key), { debounceMs: DEBOUNCE, clock });
    watcher.track('', kinds(['ConfigMap', 'Secret']));
    await settle();
    await cluster.apply(object('ConfigMap/a', { labels: 'web/prod' }), { fieldManager: 'x', force: true });
    await settle();
    assert.deepEqual(clock.pending(), [DEBOUNCE]);
    watcher.stop();
    assert.deepEqual(clock.pending(), [], 'stop() cancels the pending debounce timer');
    watcher.track('', kinds(['ConfigMap']));
    await clock.advance(DEBOUNCE * 3);
    assert.equal(cluster.watchCount, 0);
    assert.deepEqual(calls, []);
  });

  it('calls once, debounceMs after the first event of a burst', async () => {
    const cluster = new MemoryCluster();
    const calls: string[] = [];
    const clock = new FakeClock(1_000);
    const watcher = new DriftWatcher(() => cluster, (key) => calls.push(`${key}@${clock.now()}`), { debounceMs: DEBOUNCE, clock });
    watcher.track('', kinds(['ConfigMap']));
    await settle();
    await cluster.apply(object('ConfigMap/a', { labels: 'web/prod' }), { fieldManager: 'x', force: true });
    await clock.advance(DEBOUNCE - 1);
    await cluster.apply(object('ConfigMap/b', { labels: 'web/prod' }), { fieldManager: 'x', force: true });
    assert.deepEqual(calls, []);
    await clock.advance(1);
    assert.deepEqual(calls, [`web/prod@${1_000 + DEBOUNCE}`]);
    await cluster.apply(object('ConfigMap/a', { labels: 'web/prod', data: 'again' }), { fieldManager: 'x', force: true });
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls, [`web/prod@${1_000 + DEBOUNCE}`, `web/prod@${1_000 + 2 * DEBOUNCE}`]);
    watcher.stop();
  });

  it('a kind that was not served is looked up again only after rediscoverMs', async () => {
    const cluster = new MemoryCluster();
    cluster.unserved.add('Widget');
    const clock = new FakeClock();
    const watcher = new DriftWatcher(() => cluster, () => undefined, { debounceMs: DEBOUNCE, rediscoverMs: 50, clock });
    watcher.track('', kinds(['Widget']));
    await settle();
    cluster.unserved.delete('Widget'); // its CRD arrived
    watcher.track('', kinds(['Widget']));
    await settle();
    assert.equal(cluster.watchCount, 0);
    await clock.advance(49);
    watcher.track('', kinds(['Widget']));
    await settle();
    assert.equal(cluster.watchCount, 0, 'not before rediscoverMs');
    await clock.advance(1);
    watcher.track('', kinds(['Widget']));
    await settle();
    assert.equal(cluster.watchCount, 1);
    watcher.stop();
  });
});
