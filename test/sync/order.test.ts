import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { applyOrder, groupByWave, pruneOrder } from '../../src/sync/order.js';

interface Case {
  name: string;
  input: string[];
  apply: string[];
  waves?: string[][];
}

/** `Kind/name[/wave]` → object; the wave goes into Argo's annotation to show both are honoured. */
function obj(spec: string): KubeObject {
  const [kind, name, wave] = spec.split('/');
  const annotations = wave === undefined ? undefined : { 'argocd.argoproj.io/sync-wave': wave };
  return { apiVersion: 'v1', kind, metadata: { name, annotations } };
}

function label(o: KubeObject): string {
  const wave = o.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
  return `${o.kind}/${o.metadata.name}${wave === undefined ? '' : `/${wave}`}`;
}

const cases = parse(readFileSync(resolve('test/fixtures/sync/order.yaml'), 'utf8')) as Case[];

describe('sync/order', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ordered = applyOrder(c.input.map(obj));
      assert.deepEqual(ordered.map(label), c.apply);
      assert.deepEqual(pruneOrder(c.input.map(obj)).map(label), [...c.apply].reverse());
      if (c.waves) assert.deepEqual(groupByWave(ordered).map((g) => g.map(label)), c.waves);
    });
  }
});
