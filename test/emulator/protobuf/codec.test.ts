import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { JsonMap } from '../../../src/emulator/patch/json.js';
import { Codec } from '../../../src/emulator/protobuf/codec.js';
import { MESSAGES } from '../../../src/emulator/protobuf/index.js';
import { messageOf } from '../../../src/emulator/protobuf/kinds.js';
import { ProtobufError } from '../../../src/emulator/protobuf/wire.js';

const dir = resolve('test/fixtures/emulator/protobuf');
const FIXTURES = ['pod.yaml', 'deployment.yaml', 'replicaset.yaml', 'statefulset.yaml', 'daemonset.yaml', 'job.yaml', 'cronjob.yaml', 'core-small.yaml', 'other-small.yaml', 'more-kinds.yaml'];
const codec = new Codec(MESSAGES);
const bytes = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function objects(file: string): JsonMap[] {
  return parseAllDocuments(readFileSync(resolve(dir, file), 'utf8')).map((d) => d.toJSON() as JsonMap);
}

describe('emulator/protobuf/codec', () => {
  for (const file of FIXTURES) {
    for (const obj of objects(file)) {
      it(`round-trips ${obj.apiVersion} ${obj.kind} ${(obj.metadata as JsonMap | undefined)?.name ?? ''} (${file})`, () => {
        const message = messageOf(String(obj.apiVersion), String(obj.kind));
        assert.ok(message, `no message for ${obj.apiVersion} ${obj.kind}`);
        const { kind, apiVersion, ...rest } = obj;
        const back = codec.decode(message, codec.encode(message, rest));
        // The list items carry no kind/apiVersion in protobuf (their list says what they are).
        assert.deepEqual(back, rest);
      });
    }
  }

  const decodes: { name: string; message: string; bytes: string; json: JsonMap }[] = [
    { name: 'a negative int32 written as a ten-byte varint', message: 'apps.Deployment', bytes: '12 0b 08 ffffffffffffffffff01', json: { spec: { replicas: -1 } } },
    { name: 'an int32 written as a five-byte varint (sign bits dropped)', message: 'apps.Deployment', bytes: '12 06 08 ffffffff0f', json: { spec: { replicas: -1 } } },
    {
      name: 'unknown fields of every wire type, skipped',
      message: 'core.Namespace',
      bytes: '9806 05  0a 03 0a 01 61  a106 0102030405060708  aa06 02 6869  b506 01020304',
      json: { metadata: { name: 'a' } },
    },
    { name: 'unpacked repeated int64', message: 'core.PodSecurityContext', bytes: '20 01 20 02 20 ac02', json: { supplementalGroups: [1, 2, 300] } },
    { name: 'packed repeated int64', message: 'core.PodSecurityContext', bytes: '22 04 01 02 ac02', json: { supplementalGroups: [1, 2, 300] } },
    { name: 'zero values of omitempty fields, left out', message: 'core.ContainerPort', bytes: '0a 00 10 00 18 00 22 00 2a 00', json: { containerPort: 0 } },
    { name: 'a zero pointer value, kept', message: 'apps.DeploymentSpec', bytes: '08 00', json: { replicas: 0 } },
    { name: 'a zero time (empty message), null', message: 'core.PodCondition', bytes: '0a 05 52 65 61 64 79 12 00 1a 00', json: { type: 'Ready', status: '', lastProbeTime: null } },
    { name: 'a zero creationTimestamp (omitzero), left out', message: 'meta.ObjectMeta', bytes: '0a 01 61 42 00', json: { name: 'a' } },
    { name: 'Time keeps whole seconds', message: 'meta.ManagedFieldsEntry', bytes: '22 08 08 a5ebdcca06 10 07', json: { time: '2026-01-02T03:04:05Z' } },
    { name: 'a map entry without a value', message: 'core.ConfigMap', bytes: '12 03 0a 01 6b', json: { data: { k: '' } } },
    { name: 'bytes as base64', message: 'core.Secret', bytes: '12 09 0a 01 6b 12 04 00 01 fe ff', json: { data: { k: 'AAH+/w==' } } },
    { name: 'int-or-string as a string', message: 'core.ServicePort', bytes: '22 08 08 01 1a 04 68 74 74 70', json: { targetPort: 'http' } },
    { name: 'int-or-string as an int', message: 'core.ServicePort', bytes: '22 04 08 00 10 50', json: { targetPort: 80 } },
    { name: 'a quantity', message: 'core.ResourceRequirements', bytes: '0a 0d 0a 03 63 70 75 12 06 0a 04 35 30 30 6d', json: { limits: { cpu: '500m' } } },
  ];
  for (const c of decodes) {
    it(`decodes ${c.name}`, () => {
      assert.deepEqual(codec.decode(c.message, bytes(c.bytes)), c.json);
    });
  }

  it('writes fields in number order, negative ints in ten bytes', () => {
    assert.equal(hex(codec.encode('apps.DeploymentSpec', { progressDeadlineSeconds: 600, replicas: -1 })), '08ffffffffffffffffff01' + '48d804');
  });

  const refused: { name: string; message: string; bytes: string; error: RegExp }[] = [
    { name: 'a known field with the wrong wire type', message: 'apps.DeploymentSpec', bytes: '0a 00', error: /DeploymentSpec\.replicas: wire type 2, expected 0/ },
    { name: 'a truncated nested message', message: 'apps.Deployment', bytes: '12 05 08', error: /runs past the end/ },
    { name: 'a group', message: 'core.Namespace', bytes: '9b06', error: /unsupported wire type 3/ },
    { name: 'embedded JSON that is not JSON', message: 'meta.ManagedFieldsEntry', bytes: '3a 03 0a 01 7b', error: /not JSON/ },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} with an error, not a crash`, () => {
      assert.throws(() => codec.decode(c.message, bytes(c.bytes)), (e: unknown) => e instanceof ProtobufError && c.error.test(e.message));
    });
  }

  const unencodable: { name: string; message: string; json: JsonMap; error: RegExp }[] = [
    { name: 'an object for a string', message: 'core.ContainerPort', json: { name: {} }, error: /ContainerPort\.name: must be a string/ },
    { name: 'a fraction for an int', message: 'core.ContainerPort', json: { containerPort: 1.5 }, error: /must be an integer/ },
    { name: 'a bad time', message: 'core.PodCondition', json: { lastTransitionTime: 'yesterday' }, error: /not an RFC 3339 time/ },
    { name: 'a list for a map', message: 'core.ConfigMap', json: { data: [] }, error: /ConfigMap\.data: must be an object/ },
  ];
  for (const c of unencodable) {
    it(`refuses to encode ${c.name}`, () => {
      assert.throws(() => codec.encode(c.message, c.json), (e: unknown) => e instanceof ProtobufError && c.error.test(e.message));
    });
  }
});
