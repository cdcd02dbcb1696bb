/**
 * The emulator's protobuf media type (application/vnd.kubernetes.protobuf): request bodies are
 * decoded into the JSON object a JSON client would have sent, and answers are encoded when the
 * client prefers protobuf and the kind has a message, as the API server negotiates them.
 */
import type { Json, JsonMap } from '../patch/json.js';
import { admissionregistration } from './schema/admissionregistration.js';
import { apps } from './schema/apps.js';
import { autoscaling } from './schema/autoscaling.js';
import { autoscalingv2 } from './schema/autoscalingv2.js';
import { batch } from './schema/batch.js';
import { coordination } from './schema/coordination.js';
import { core } from './schema/core.js';
import { discovery } from './schema/discovery.js';
import { events } from './schema/events.js';
import { meta } from './schema/meta.js';
import { networking } from './schema/networking.js';
import { policy } from './schema/policy.js';
import { rbac } from './schema/rbac.js';
import { scheduling } from './schema/scheduling.js';
import { storage } from './schema/storage.js';
import { Codec } from './codec.js';
import { hasMagic, unwrap, wrap } from './envelope.js';
import { messageOf } from './kinds.js';
import { compile } from './table.js';
import { jsonBytes } from './wellknown.js';
import { ProtobufError } from './wire.js';

export { ProtobufError } from './wire.js';
export { protobufKinds } from './kinds.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export const MESSAGES = compile({ meta, core, apps, batch, coordination, autoscaling, autoscalingv2, networking, rbac, policy, scheduling, storage, discovery, events, admissionregistration });

// A RawExtension holds JSON, or (written by a protobuf client) an enveloped object.
const codec: Codec = new Codec(MESSAGES, (raw): Json => (hasMagic(raw) ? decodeObject(raw) : jsonBytes(raw, 'raw extension')));

/** True for a Content-Type of the protobuf media type (parameters aside). */
export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

/**
 * Whether the answer to a request with this Accept header should be protobuf: the client's most
 * preferred media type is plain protobuf (no `as=Table` conversion, not a watch stream).
 */
export function prefersProtobuf(accept: string | undefined): boolean {
  const ranges = (accept ?? '')
    .split(',')
    .map((r, i) => {
      const [type, ...params] = r.split(';').map((s) => s.trim());
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      return { type: type.toLowerCase(), params: params.filter((p) => !p.startsWith('q=')), q: Number.isNaN(q) ? 1 : q, i };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranges[0];
  return first !== undefined && first.type === PROTOBUF_MEDIA_TYPE && first.params.length === 0;
}

/**
 * The JSON object of an enveloped protobuf body. `fallback` names the kind when the envelope's
 * typeMeta is empty (the request path says what it is).
 */
export function decodeObject(bytes: Uint8Array, fallback?: { apiVersion: string; kind: string }): JsonMap {
  const env = unwrap(bytes);
  if (env.contentEncoding) throw new ProtobufError(`content encoding "${env.contentEncoding}" is not supported`);
  const apiVersion = env.apiVersion || fallback?.apiVersion || '';
  const kind = env.kind || fallback?.kind || '';
  const message = messageOf(apiVersion, kind);
  if (!message) throw new ProtobufError(`no protobuf message for ${apiVersion || '(no apiVersion)'} ${kind || '(no kind)'}`);
  return { kind, apiVersion, ...codec.decode(message, env.raw) };
}

/** The enveloped protobuf form of an object, or undefined when its kind has no message (a custom resource). */
export function encodeObject(json: JsonMap): Uint8Array | undefined {
  const apiVersion = typeof json.apiVersion === 'string' ? json.apiVersion : '';
  const kind = typeof json.kind === 'string' ? json.kind : '';
  const message = messageOf(apiVersion, kind);
  if (!message) return undefined;
  return wrap(apiVersion, kind, codec.encode(message, json));
}
