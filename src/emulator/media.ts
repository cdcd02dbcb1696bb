/**
 * Request bodies and answers in the media types the emulator speaks: JSON and YAML bodies, and
 * protobuf ones (decoded into the same JSON); answers in JSON, or in protobuf when the client
 * prefers it and the kind has a message (protobuf/), as the API server negotiates.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import type { Json, JsonMap } from './patch/json.js';
import { decodeObject, encodeObject, isProtobuf, prefersProtobuf, ProtobufError, PROTOBUF_MEDIA_TYPE } from './protobuf/index.js';
import { parseBody, type ParsedBody } from './validation/duplicates.js';

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The body as JSON: YAML/JSON text, or a protobuf envelope (`kind` names the object when the
 * envelope does not). An empty body is `{}`. CBOR is refused with 415, so client-go falls back to JSON.
 */
export async function readObject(req: IncomingMessage, kind?: { apiVersion: string; kind: string }): Promise<ParsedBody> {
  const contentType = req.headers['content-type'];
  if (/cbor/.test(contentType ?? '')) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE}`);
  const bytes = await readBytes(req);
  if (isProtobuf(contentType)) {
    try {
      // A protobuf message has no way to carry a field twice or a field its schema lacks.
      return { value: decodeObject(bytes, kind), duplicates: [] };
    } catch (err) {
      if (err instanceof ProtobufError) throw new ApiError(400, 'BadRequest', `the body of the request could not be decoded as protobuf: ${err.message}`);
      throw err;
    }
  }
  return parseBody(bytes.toString('utf8'));
}

/** Writes an answer: protobuf when the Accept header prefers it and the object's kind has a message, else JSON. */
export function writeObject(res: ServerResponse, code: number, body: unknown, accept: string | undefined): void {
  if (prefersProtobuf(accept) && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = encodeObject(body as JsonMap);
    } catch (err) {
      // The client listed JSON too (every client-go Accept does): a value the tables cannot carry is answered in JSON.
      if (!(err instanceof ProtobufError)) throw err;
    }
    if (bytes) {
      res.writeHead(code, { 'Content-Type': PROTOBUF_MEDIA_TYPE, 'Cache-Control': 'no-cache, private' });
      res.end(bytes);
      return;
    }
  }
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.end(JSON.stringify(body));
}
