import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { diffObject, diffSets } from '../../src/diff/diff.js';
import type { DiffEntry, DiffOptions } from '../../src/diff/types.js';
import type { KubeObject } from '../../src/kube/types.js';

const DIR = resolve('test/fixtures/diff');

interface Case {
  name: string;
  title?: string;
  options?: Partial<DiffOptions>;
  entries: Partial<DiffEntry>[];
}

function load(file: string): KubeObject {
  return parse(readFileSync(resolve(DIR, file), 'utf8')) as KubeObject;
}

const cases = parse(readFileSync(resolve(DIR, 'cases.yaml'), 'utf8')) as Case[];

/** Checks `got` holds exactly the expected entries; desired/live/liveManager only where given. */
function assertEntries(got: readonly DiffEntry[], want: readonly Partial<DiffEntry>[]): void {
  assert.deepEqual(got.map((e) => e.path).sort(), want.map((e) => e.path).sort(), JSON.stringify(got, null, 1));
  for (const w of want) {
    const g = got.find((e) => e.path === w.path) as DiffEntry;
    for (const k of Object.keys(w) as (keyof DiffEntry)[]) assert.deepEqual(g[k], w[k], `${w.path} ${k}`);
  }
}

describe('diff/diff diffObject', () => {
  for (const c of cases) {
    it(c.title ?? c.name, () => {
      const got = diffObject(load(`${c.name}-config.yaml`), load(`${c.name}-live.yaml`), c.options);
      assertEntries(got.entries, c.entries);
      assert.equal(got.inSync, c.entries.length === 0);
      assert.equal(got.status, c.entries.length === 0 ? 'Synced' : 'OutOfSync');
    });
  }

  it('has a case for every config/live pair', () => {
    const pairs = readdirSync(DIR).filter((f) => f.endsWith('-config.yaml')).map((f) => f.replace(/-config\.yaml$/, ''));
    assert.deepEqual([...new Set(cases.map((c) => c.name))].sort(), pairs.sort());
  });

  it('reports an object absent from the cluster as Missing', () => {
    const got = diffObject(load('server-defaults-config.yaml'), undefined);
    assert.equal(got.status, 'Missing');
    assert.equal(got.inSync, false);
    assert.equal(got.entries.length, 1);
    assert.deepEqual({ ...got.entries[0], desired: undefined }, { path: '', op: 'add', reason: 'missing-in-cluster', desired: undefined });
    assert.equal(got.subject, 'Deployment/shop/web');
  });

  it('does not mutate its inputs', () => {
    const desired = load('secret-config.yaml');
    const live = load('secret-live.yaml');
    const before = JSON.stringify([desired, live]);
    diffObject(desired, live);
    assert.equal(JSON.stringify([desired, live]), before);
  });
});

describe('diff/diff diffSets', () => {
  const desired = [load('kubectl-edit-config.yaml'), load('targetport-config.yaml'), load('secret-config.yaml')];
  const live = [load('targetport-live.yaml'), load('kubectl-edit-live.yaml'), load('server-defaults-live.yaml')];
  live[2].metadata.name = 'old-web';

  it('pairs objects by group/kind/namespace/name and lists missing and extra ones', () => {
    const got = diffSets(desired, live);
    assert.deepEqual(
      got.objects.map((o) => [o.subject, o.status]),
      [
        ['Deployment/shop/web', 'OutOfSync'],
        ['Service/shop/web', 'OutOfSync'],
        ['Secret/shop/db', 'Missing'],
        ['Deployment/shop/old-web', 'Extra'],
      ],
    );
    assert.equal(got.inSync, false);
    assert.deepEqual(got.objects[3].entries.map((e) => [e.path, e.op, e.reason]), [['', 'remove', 'removed-from-git']]);
  });

  it('is in sync when every pair is', () => {
    const got = diffSets([load('quantities-config.yaml'), load('targetport-config.yaml')], [load('quantities-live.yaml'), load('targetport-config.yaml')]);
    assert.equal(got.inSync, true);
    assert.deepEqual(got.objects.map((o) => o.status), ['Synced', 'Synced']);
  });

  it('pairs a manifest without namespace with the only live object of that kind and name', () => {
    const bare = load('targetport-config.yaml');
    delete bare.metadata.namespace;
    const got = diffSets([bare], [load('targetport-live.yaml')]);
    assert.deepEqual(got.objects.map((o) => [o.subject, o.status]), [['Service/web', 'OutOfSync']]);
    const two = { ...load('targetport-live.yaml'), metadata: { ...load('targetport-live.yaml').metadata, namespace: 'other' } };
    const ambiguous = diffSets([bare], [load('targetport-live.yaml'), two]);
    assert.deepEqual(ambiguous.objects.map((o) => o.status), ['Missing', 'Extra', 'Extra']);
  });

  it('pairs a cluster-scoped object whose manifest names a namespace with the live one, under its cluster-scoped subject', () => {
    const got = diffSets([load('cluster-scoped-namespace-config.yaml')], [load('cluster-scoped-namespace-live.yaml')]);
    assert.deepEqual(got.objects.map((o) => [o.subject, o.status]), [['ClusterRole/shop-reader', 'Synced']]);
  });

  it('ignores apiVersion when pairing (apps/v1beta2 and apps/v1 are one object)', () => {
    const old = { ...load('server-defaults-config.yaml'), apiVersion: 'apps/v1beta2' };
    const got = diffSets([old], [load('server-defaults-live.yaml')]);
    assert.deepEqual(got.objects.map((o) => o.status), ['Synced']);
  });
});

describe('diff/diff Secret stringData', () => {
  it('folds stringData into data as the API server does, so equal values are in sync', () => {
    const live = load('secret-live.yaml');
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      type: 'Opaque',
      stringData: { password: 's3cr3t-old', token: 'tok-9f8e7d' },
    };
    assert.deepEqual(diffObject(desired, live).entries.map((e) => [e.path, e.reason]), [['/data/api-key', 'removed-from-git']]);
  });
});
