import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { JsonMap } from '../../../src/emulator/patch/json.js';
import { decodeObject, encodeObject, prefersProtobuf, ProtobufError, protobufKinds } from '../../../src/emulator/protobuf/index.js';
import { MAGIC, unwrap, wrap } from '../../../src/emulator/protobuf/envelope.js';

interface KubectlBody { name: string; command: string; protobuf: string; json: JsonMap }
const bodies = parse(readFileSync(resolve('test/fixtures/emulator/protobuf/kubectl-bodies.yaml'), 'utf8')) as KubectlBody[];

describe('emulator/protobuf', () => {
  // What the real kubectl sends, decoded, must be exactly what it prints for --dry-run=client -o json.
  for (const b of bodies) {
    it(`decodes the body of \`${b.command}\` into kubectl's own JSON`, () => {
      assert.deepEqual(decodeObject(Buffer.from(b.protobuf, 'base64')), b.json);
    });
    it(`encodes the object of \`${b.command}\` back to what kubectl sent`, () => {
      const bytes = encodeObject(b.json);
      assert.ok(bytes);
      assert.deepEqual(decodeObject(bytes), b.json);
    });
  }

  it('wraps an answer in the envelope with its typeMeta', () => {
    const bytes = encodeObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'nope', reason: 'NotFound', details: {}, code: 404 });
    assert.ok(bytes);
    assert.deepEqual([...bytes.subarray(0, 4)], [...MAGIC]);
    const env = unwrap(bytes);
    assert.deepEqual([env.apiVersion, env.kind, env.contentType, env.contentEncoding], ['v1', 'Status', '', '']);
    assert.deepEqual(decodeObject(bytes), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'nope', reason: 'NotFound', details: {}, code: 404 });
  });

  it('has no message for a custom resource, so it is answered in JSON', () => {
    assert.equal(encodeObject({ kind: 'Widget', apiVersion: 'example.com/v1', metadata: { name: 'w' } }), undefined);
  });

  it('names the kind from the request when the envelope does not', () => {
    const bytes = Buffer.concat([Buffer.from(MAGIC), Buffer.from('12050a030a0161', 'hex')]);
    assert.deepEqual(decodeObject(bytes, { apiVersion: 'v1', kind: 'ConfigMap' }), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } });
  });

  const refused: { name: string; bytes: Buffer; error: RegExp }[] = [
    { name: 'a body without the magic bytes', bytes: Buffer.from('{}'), error: /magic bytes/ },
    { name: 'a kind without a message', bytes: Buffer.from(wrap('v1', 'Widget', new Uint8Array(0))), error: /no protobuf message for v1 Widget/ },
    { name: 'a compressed body', bytes: Buffer.concat([Buffer.from(MAGIC), Buffer.from('0a0f0a0276311209436f6e6669674d61701a04677a6970', 'hex')]), error: /content encoding "gzip"/ },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => decodeObject(c.bytes), (e: unknown) => e instanceof ProtobufError && c.error.test(e.message));
    });
  }

  const accepts: { accept: string | undefined; protobuf: boolean }[] = [
    { accept: 'application/vnd.kubernetes.protobuf,application/json', protobuf: true },
    { accept: 'application/vnd.kubernetes.protobuf;q=0.5,application/json', protobuf: false },
    { accept: 'application/json, */*', protobuf: false },
    { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json', protobuf: false },
    { accept: 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json', protobuf: false },
    { accept: 'application/vnd.kubernetes.protobuf;stream=watch', protobuf: false },
    { accept: undefined, protobuf: false },
  ];
  for (const c of accepts) {
    it(`answers Accept: ${c.accept} in ${c.protobuf ? 'protobuf' : 'JSON'}`, () => {
      assert.equal(prefersProtobuf(c.accept), c.protobuf);
    });
  }

  it('speaks protobuf for the kinds kubectl imperative commands send and read', () => {
    const kinds = new Set(protobufKinds().map((k) => `${k.apiVersion} ${k.kind}`));
    for (const k of ['v1 Namespace', 'v1 ConfigMap', 'v1 Secret', 'v1 ServiceAccount', 'v1 Service', 'v1 Pod', 'v1 Event', 'apps/v1 Deployment', 'apps/v1 ReplicaSet', 'apps/v1 StatefulSet', 'apps/v1 DaemonSet', 'batch/v1 Job', 'batch/v1 CronJob', 'coordination.k8s.io/v1 Lease', 'autoscaling/v1 Scale', 'v1 Status', 'v1 DeleteOptions', 'apps/v1 DeploymentList', 'rbac.authorization.k8s.io/v1 Role', 'networking.k8s.io/v1 Ingress', 'policy/v1 PodDisruptionBudget', 'scheduling.k8s.io/v1 PriorityClass', 'v1 ResourceQuota', 'autoscaling/v2 HorizontalPodAutoscaler']) assert.ok(kinds.has(k), k);
  });
});
