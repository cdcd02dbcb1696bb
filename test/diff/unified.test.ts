import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { diffObject, extraObject } from '../../src/diff/diff.js';
import { diffLines, hunks } from '../../src/diff/linediff.js';
import { unifiedDiff } from '../../src/diff/unified.js';
import type { KubeObject } from '../../src/kube/types.js';

const DIR = resolve('test/fixtures/diff');

function load(file: string): KubeObject {
  return parse(readFileSync(resolve(DIR, file), 'utf8')) as KubeObject;
}

describe('diff/unified', () => {
  // Golden files, checked once against GNU `diff -u` of the same two YAML documents.
  for (const name of ['kubectl-edit', 'removed-from-git', 'secret']) {
    it(`${name} matches ${name}-unified.diff`, () => {
      const got = unifiedDiff(diffObject(load(`${name}-config.yaml`), load(`${name}-live.yaml`)));
      assert.equal(got, readFileSync(resolve(DIR, `${name}-unified.diff`), 'utf8'));
    });
  }

  it('leaves out what ignoreDifferences drops, by pointer or by manager', () => {
    const rules = [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller'] },
    ];
    for (const [name, rule] of [['ignore-pointer', rules[0]], ['ignore-manager', rules[1]]] as const) {
      const text = unifiedDiff(diffObject(load(`${name}-config.yaml`), load(`${name}-live.yaml`), { ignoreDifferences: [rule] }));
      const changed = text.split('\n').filter((l) => /^[-+] /.test(l));
      assert.deepEqual(changed, ['-          image: nginx:1.26', '+          image: nginx:1.27'], name);
    }
  });

  it('is empty for an object in sync', () => {
    assert.equal(unifiedDiff(diffObject(load('server-defaults-config.yaml'), load('server-defaults-live.yaml'))), '');
  });

  it('shows a missing object as all additions and an extra one as all removals', () => {
    const missing = unifiedDiff(diffObject(load('targetport-config.yaml'), undefined)).split('\n');
    assert.deepEqual(missing.slice(0, 4), ['--- live/Service/shop/web', '+++ desired/Service/shop/web', '@@ -0,0 +1,12 @@', '+apiVersion: v1']);
    const extra = unifiedDiff(extraObject(load('targetport-live.yaml'))).split('\n');
    assert.equal(extra[2], '@@ -1,22 +0,0 @@');
    assert.ok(extra.slice(3).every((l) => l === '' || l.startsWith('-')));
    assert.ok(!extra.some((l) => l.includes('managedFields')), 'server metadata is not shown');
  });
});

describe('diff/linediff', () => {
  const table: { name: string; a: string[]; b: string[]; want: string[] }[] = [
    { name: 'identical', a: ['x', 'y'], b: ['x', 'y'], want: [] },
    { name: 'one change', a: ['a', 'b', 'c'], b: ['a', 'B', 'c'], want: ['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c'] },
    { name: 'insert into empty', a: [], b: ['n'], want: ['@@ -0,0 +1 @@', '+n'] },
    {
      name: 'far apart changes make two hunks',
      a: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
      b: ['one', '2', '3', '4', '5', '6', '7', '8', '9', 'ten'],
      want: ['@@ -1,4 +1,4 @@', '-1', '+one', ' 2', ' 3', ' 4', '@@ -7,4 +7,4 @@', ' 7', ' 8', ' 9', '-10', '+ten'],
    },
  ];
  for (const c of table) {
    it(c.name, () => assert.deepEqual(hunks(diffLines(c.a, c.b)), c.want));
  }
});
