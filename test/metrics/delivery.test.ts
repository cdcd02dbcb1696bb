/** DeliveryMetrics: DORA and sync metrics from scripted reconcile passes (test/fixtures/metrics/delivery.yaml). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Finished } from '../../src/engine/operations.js';
import type { AppEnvStatus } from '../../src/engine/status.js';
import { DeliveryMetrics, sourceCommitTime } from '../../src/metrics/delivery.js';
import { Metrics } from '../../src/metrics/registry.js';

interface FinishedSpec {
  release: number;
  trigger: string;
  revision: string;
  phase: 'Succeeded' | 'Failed';
  startedAt: number;
  followUp?: 'retry' | 'rollback';
  changes?: string[];
  rollback?: { by: 'auto' | 'manual'; from?: number };
  /** Phase timings of the operation (seconds, as `t`). */
  phases?: { phase: string; from: number; to: number; result: string }[];
}
interface Step {
  t: number;
  sync: AppEnvStatus['syncStatus'];
  health: AppEnvStatus['health'];
  revision: string;
  committedAt?: number;
  sourceCommittedAt?: number;
  finished?: FinishedSpec[];
}
interface Scenario {
  name: string;
  steps: Step[];
  expect: Record<string, number>;
}

const T0 = Date.UTC(2026, 10, 23);
const at = (s: number) => T0 + s * 1000;

function status(s: Step): AppEnvStatus {
  return { app: 'web', env: 'dev', namespace: 'shop-dev', revision: s.revision, syncStatus: s.sync, health: s.health, lastSyncedAt: null, message: '', resources: [] };
}

function finished(f: FinishedSpec): Finished {
  const release = (id: number, revision: string) => ({ id, app: 'web', env: 'dev', revision, digest: '', images: [], trigger: f.trigger, startedAt: new Date(at(f.startedAt)).toISOString(), result: f.phase });
  const active = {
    op: { phase: f.phase, changes: (f.changes ?? []).map((action) => ({ action })), phases: (f.phases ?? []).map((p) => ({ phase: p.phase, startedAt: at(p.from), finishedAt: at(p.to), result: p.result })) },
    release: release(f.release, f.revision),
    ...(f.rollback ? { rollback: { by: f.rollback.by, reason: 'test', to: release(0, 'r0'), ...(f.rollback.from !== undefined ? { from: release(f.rollback.from, 'rx') } : {}) } } : {}),
  };
  return { active, followUp: f.followUp ?? 'none' } as unknown as Finished;
}

async function values(m: Metrics): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    for (const v of metric.values as { metricName?: string; value: number; labels: Record<string, string | number> }[]) {
      const name = v.metricName ?? metric.name;
      if (name.endsWith('_bucket')) continue;
      out.set(name, (out.get(name) ?? 0) + v.value);
      // Also by the labels other than app and env, e.g. `…_count{phase=PreSync,result=failed}`.
      const extra = Object.entries(v.labels).filter(([k]) => k !== 'app' && k !== 'env').map(([k, x]) => `${k}=${x}`).sort();
      if (extra.length) out.set(`${name}{${extra.join(',')}}`, (out.get(`${name}{${extra.join(',')}}`) ?? 0) + v.value);
    }
  }
  return out;
}

describe('metrics/delivery', () => {
  const scenarios = parse(readFileSync(path.resolve('test/fixtures/metrics/delivery.yaml'), 'utf8')) as Scenario[];
  for (const sc of scenarios) {
    it(sc.name, async () => {
      const metrics = new Metrics({ defaultMetrics: false });
      const d = new DeliveryMetrics(metrics);
      let previous: AppEnvStatus | undefined;
      for (const s of sc.steps) {
        const next = status(s);
        d.observe({
          previous, next, finished: (s.finished ?? []).map(finished), now: at(s.t),
          ...(s.committedAt !== undefined ? { committedAt: at(s.committedAt) } : {}),
          ...(s.sourceCommittedAt !== undefined ? { sourceCommittedAt: at(s.sourceCommittedAt) } : {}),
        });
        previous = next;
      }
      const got = await values(metrics);
      for (const [name, want] of Object.entries(sc.expect)) assert.equal(got.get(name) ?? 0, want, name);
    });
  }

  it('reads the source commit time from a bump commit trailer', () => {
    assert.equal(sourceCommitTime('build: web dev → abc\n\nsource: 1234\nSource-Commit-Time: 2026-11-23T04:10:00Z\n'), Date.UTC(2026, 10, 23, 4, 10));
    assert.equal(sourceCommitTime('fix values\n'), undefined);
    assert.equal(sourceCommitTime('Source-Commit-Time: yesterday\n'), undefined);
  });
});
