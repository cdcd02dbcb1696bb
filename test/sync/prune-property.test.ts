/**
 * Property test of the prune decision: thousands of random inventories, renders, policies and
 * foreign objects from a seeded PRNG (deterministic; set PRUNE_PROPERTY_SEED to explore others).
 * The expectations are written from the rules, not from the code: what may be deleted, when
 * nothing may, and exactly when the guard holds. A failure names the seed and the case.
 */
import assert from 'node:assert/strict';
import { objectKey, type KubeObject, type ObjectRef } from '../../src/kube/types.js';
import { ANNOTATION_TRACKING_ID, LABEL_APP, LABEL_ENV, stamp, trackingId } from '../../src/sync/ownership.js';
import { pruneDecision, type PruneCandidate, type PruneDecision, type PruneInput } from '../../src/sync/prune.js';
import { prng } from '../support/prng.js';

const SEED = Number(process.env.PRUNE_PROPERTY_SEED ?? 20261203);
const CASES = 3000;
const OWNER = { app: 'web', env: 'dev' };
const KINDS = [
  { apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'Service' }, { apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Namespace' }, { apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
];
const PROTECTED = new Set(['Namespace', 'PersistentVolumeClaim', 'CustomResourceDefinition']);
const ANNOTATIONS: Record<string, string>[] = [
  {}, {}, {}, { 'sluice.dev/prune': 'false' }, { 'sluice.dev/prune': 'true' }, { 'sluice.dev/prune': ' true ' },
  { 'argocd.argoproj.io/sync-options': 'Prune=false' }, { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Prune=false' }, { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' },
];
/** How a candidate's live object relates to this app × env. */
type Origin = 'own' | 'other-app' | 'other-env' | 'no-id' | 'id-of-another-object' | 'outside-inventory';
const ORIGINS: Origin[] = ['own', 'own', 'own', 'own', 'own', 'other-app', 'other-env', 'no-id', 'id-of-another-object', 'outside-inventory'];


interface Generated {
  readonly input: PruneInput;
  readonly origin: Map<string, Origin>;
  readonly annotations: Map<string, Record<string, string>>;
}

function generate(rand: () => number): Generated {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const inventory: ObjectRef[] = [];
  const candidates: PruneCandidate[] = [];
  const origin = new Map<string, Origin>();
  const annotations = new Map<string, Record<string, string>>();
  const size = int(14);
  for (let i = 0; i < size; i++) {
    const k = pick(KINDS);
    const ref: ObjectRef = { apiVersion: k.apiVersion, kind: k.kind, namespace: k.kind === 'Namespace' || k.kind === 'CustomResourceDefinition' ? undefined : 'shop', name: `o${i}` };
    const o = pick(ORIGINS);
    if (o !== 'outside-inventory') inventory.push(ref);
    const rendered = o !== 'outside-inventory' && rand() < 0.4;
    if (rendered || rand() < 0.1) continue; // still rendered, or gone from the cluster
    const a = pick(ANNOTATIONS);
    const obj: KubeObject = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}), annotations: { ...a } } };
    const labels = { [LABEL_APP]: OWNER.app, [LABEL_ENV]: OWNER.env };
    const live =
      o === 'own' || o === 'outside-inventory' ? stamp(obj, OWNER)
      : o === 'other-app' ? stamp(obj, { app: 'shop', env: OWNER.env })
      : o === 'other-env' ? stamp(obj, { app: OWNER.app, env: 'prod' })
      : o === 'no-id' ? { ...obj, metadata: { ...obj.metadata, labels } }
      : { ...obj, metadata: { ...obj.metadata, labels, annotations: { ...a, [ANNOTATION_TRACKING_ID]: trackingId(OWNER, { ...ref, name: 'someone-else' }) } } };
    candidates.push({ ref, live });
    origin.set(objectKey(ref), o);
    annotations.set(objectKey(ref), a);
  }
  const r = rand();
  const render = r < 0.1 ? { failed: true as const } : { failed: false as const, resources: r < 0.3 ? 0 : 1 + int(10) };
  const policy = { prune: rand() < 0.7, maxPrunePercent: rand() < 0.2 ? pick([0, 50, 100]) : int(101), allowEmpty: rand() < 0.3 };
  return { input: { candidates, inventory, owner: OWNER, policy, render, asked: rand() < 0.25 }, origin, annotations };
}

/** Kept whatever the policy says, by kind or annotation. */
function protectedObject(kind: string, a: Record<string, string>): boolean {
  const own = a['sluice.dev/prune']?.trim();
  if (own === 'false') return true;
  if ((a['argocd.argoproj.io/sync-options'] ?? '').split(',').some((o) => o.trim() === 'Prune=false')) return true;
  return PROTECTED.has(kind) && own !== 'true';
}

function check(g: Generated): PruneDecision {
  const { input, origin, annotations } = g;
  const d = pruneDecision(input);
  const deleted = d.prune.map((c) => objectKey(c.ref));
  const inventory = new Set(input.inventory.map(objectKey));
  const failed = input.render.failed;
  const empty = !input.render.failed && input.render.resources === 0 && inventory.size > 0;

  assert.equal(d.prune.length + d.keep.length, input.candidates.length, 'every candidate is pruned or kept, once');
  for (const key of deleted) {
    assert.ok(inventory.has(key), `${key} deleted but not in the inventory`);
    assert.equal(origin.get(key), 'own', `${key} deleted but it is foreign (${origin.get(key)})`);
    const kind = input.candidates.find((c) => objectKey(c.ref) === key)?.ref.kind ?? '';
    assert.ok(!protectedObject(kind, annotations.get(key) ?? {}), `${key} deleted but protected`);
  }
  if (failed) assert.deepEqual(deleted, [], 'deleted on a failed render');
  if (empty && !input.policy.allowEmpty) assert.deepEqual(deleted, [], 'deleted on an empty render without allowEmpty');
  assert.equal(d.blocked !== undefined, failed || (empty && !input.policy.allowEmpty), 'blocked exactly on a failed render or a refused empty one');

  // What the rules allow to delete before the guard, and the guard's verdict on it.
  const blocked = failed || (empty && !input.policy.allowEmpty);
  const eligible = blocked || !(input.policy.prune || input.asked) ? [] : input.candidates.filter((c) => origin.get(objectKey(c.ref)) === 'own' && !protectedObject(c.ref.kind, annotations.get(objectKey(c.ref)) ?? {})).map((c) => objectKey(c.ref));
  const holds = eligible.length > 0 && (eligible.length * 100) / inventory.size > input.policy.maxPrunePercent && !input.asked;
  assert.equal(d.held !== undefined, holds, `guard: ${eligible.length} of ${inventory.size} vs maxPrunePercent ${input.policy.maxPrunePercent}, asked ${input.asked}`);
  assert.deepEqual([...deleted].sort(), holds ? [] : [...eligible].sort(), 'deleted exactly what the rules allow');
  return d;
}

function describeCase(g: Generated): string {
  const { input, origin, annotations } = g;
  return JSON.stringify({
    inventory: input.inventory.map(objectKey), render: input.render, policy: input.policy, asked: input.asked,
    candidates: input.candidates.map((c) => ({ key: objectKey(c.ref), origin: origin.get(objectKey(c.ref)), annotations: annotations.get(objectKey(c.ref)) })),
  }, null, 1);
}

describe('sync/prune (property)', () => {
  it(`holds the prune rules over ${CASES} random cases (seed ${SEED})`, () => {
    const rand = prng(SEED);
    const seen = { blocked: 0, held: 0, pruned: 0, foreign: 0 };
    for (let i = 0; i < CASES; i++) {
      const g = generate(rand);
      let d: PruneDecision;
      try {
        d = check(g);
      } catch (err) {
        throw new Error(`prune property failed at seed ${SEED}, case ${i}: ${(err as Error).message}\ncase: ${describeCase(g)}`);
      }
      if (d.blocked) seen.blocked++;
      if (d.held) seen.held++;
      if (d.prune.length) seen.pruned++;
      if ([...g.origin.values()].some((o) => o !== 'own')) seen.foreign++;
    }
    // The generator must reach every branch, or the properties above prove little.
    for (const [what, n] of Object.entries(seen)) assert.ok(n > CASES / 20, `only ${n} cases with ${what}`);
  });
});
