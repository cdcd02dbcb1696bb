/**
 * Protobuf codec benchmark (not a test): prints the time to encode and decode a Pod (the whole
 * PodSpec tree) and a DeploymentList of 1,000 items in the emulator's protobuf form, next to
 * JSON.stringify/JSON.parse of the same objects, and the sizes of both forms. Median of 7 runs.
 *   node dist/bench/protobuf.js [--items 1000]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { JsonMap } from '../src/emulator/patch/json.js';
import { decodeObject, encodeObject } from '../src/emulator/protobuf/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Median microseconds per call of `fn`, over 7 runs of `n` calls after a warm-up run. */
function time(fn: () => unknown, n: number): number {
  const runs: number[] = [];
  for (let r = 0; r < 8; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (r > 0) runs.push(((performance.now() - start) * 1000) / n);
  }
  return runs.sort((a, b) => a - b)[3];
}

const fixture = (name: string) => parse(readFileSync(resolve('test/fixtures/emulator/protobuf', name), 'utf8')) as JsonMap;
const pod = fixture('pod.yaml');
const deployment = fixture('deployment.yaml');
const items = arg('items', 1000);
const list: JsonMap = { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '1' }, items: Array.from({ length: items }, (_, i) => ({ ...deployment, metadata: { ...(deployment.metadata as JsonMap), name: `web-${i}` } })) };

const row = (label: string, obj: JsonMap, n: number) => {
  const bytes = encodeObject(obj) as Uint8Array;
  const json = JSON.stringify(obj);
  const f = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(0)} µs`).padStart(9);
  console.log(`${label.padEnd(22)} encode ${f(time(() => encodeObject(obj), n))}  decode ${f(time(() => decodeObject(bytes), n))}  | JSON stringify ${f(time(() => JSON.stringify(obj), n))}  parse ${f(time(() => JSON.parse(json), n))}  | ${bytes.length} B protobuf, ${Buffer.byteLength(json)} B JSON`);
};
row('Pod', pod, 500);
row(`DeploymentList × ${items}`, list, 3);
