/**
 * The reflector's pure rules: the events a relist implies (fixtures in
 * test/fixtures/kube/relist-cases.yaml) and the capped exponential backoff.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { backoffDelay, relistEvents, slim } from '../../src/kube/reflector.js';
import type { KubeObject } from '../../src/kube/types.js';

interface Case {
  name: string;
  known: string[];
  listed: string[];
  events: string[];
}

/** `namespace/name@rv` → a ConfigMap. */
function obj(spec: string): KubeObject {
  const m = /^([^/]+)\/([^@]+)@(\d+)$/.exec(spec);
  if (!m) throw new Error(`bad object spec ${spec}`);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: m[1], name: m[2], resourceVersion: m[3], labels: { app: 'x' } }, data: { big: 'payload' } };
}

const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const cases = parse(readFileSync(resolve('test/fixtures/kube/relist-cases.yaml'), 'utf8')) as Case[];

describe('kube/reflector', () => {
  describe('relistEvents', () => {
    for (const c of cases) {
      it(c.name, () => {
        const known = new Map(c.known.map((s) => [key(obj(s)), slim(obj(s))]));
        const events = relistEvents(known, c.listed.map(obj));
        assert.deepEqual(events.map((e) => `${e.type} ${key(e.object)}@${e.object.metadata.resourceVersion}`), c.events);
      });
    }

    it('remembers only identity, labels and resourceVersion', () => {
      assert.deepEqual(slim(obj('default/a@3')), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: undefined, resourceVersion: '3', labels: { app: 'x' } } });
    });
  });

  describe('backoffDelay', () => {
    const options = { initialBackoffMs: 800, maxBackoffMs: 30_000, healthyAfterMs: 1_000 };
    const table: [attempt: number, random: number, ms: number][] = [
      [1, 0, 800],
      [2, 0, 1_600],
      [3, 0, 3_200],
      [6, 0, 25_600],
      [7, 0, 30_000],
      [40, 0, 30_000],
      [1, 1, 640],
      [7, 0.5, 27_000],
    ];
    for (const [attempt, random, ms] of table) {
      it(`attempt ${attempt} with jitter ${random} waits ${ms}ms`, () => {
        assert.equal(backoffDelay(attempt, options, () => random), ms);
      });
    }
  });
});
