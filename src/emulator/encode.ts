/**
 * JSON text of stored objects, made once per object version: a list of thousands of objects, or
 * one event sent to many watches, joins texts already made instead of serialising again. Stored
 * objects are never changed in place (a write stores a new object), so the text cannot go stale;
 * it is dropped with the object.
 */
import type { Obj } from './store.js';

const texts = new WeakMap<Obj, string>();

export function objectJson(o: Obj): string {
  let text = texts.get(o);
  if (text === undefined) texts.set(o, (text = JSON.stringify(o)));
  return text;
}

/** A response body already in JSON text. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A list answer, kept as its parts until the client's media type decides how it is written. */
export class ObjectList {
  constructor(
    readonly head: Record<string, unknown>,
    readonly items: readonly Obj[],
  ) {}

  toObject(): { items: Obj[]; metadata?: { resourceVersion?: string } } & Record<string, unknown> {
    return { ...this.head, items: [...this.items] };
  }
}

/** `{...head, items: [...]}` as JSON, the items from the per-object texts. */
export function listJson(head: Record<string, unknown>, items: readonly Obj[]): JsonText {
  const start = JSON.stringify(head).slice(0, -1);
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = objectJson(items[i]);
  return new JsonText(`${start}${start.length > 1 ? ',' : ''}"items":[${parts.join(',')}]}`);
}

/** One line of a watch stream. */
export function watchEventJson(type: string, o: Obj): string {
  return `{"type":"${type}","object":${objectJson(o)}}\n`;
}
