/**
 * Secret masking, after Argo CD's HideSecretData: every value of a Secret's `data` / `stringData`
 * and its last-applied annotation (which holds the cleartext) becomes a fixed mask. Masking a
 * desired/live pair keeps equality visible — equal values get the same mask, changed ones a
 * different one — without ever showing cleartext or a hash of it (short secrets are guessable).
 */
import type { KubeObject } from '../kube/types.js';
import { isMap, isSecret, LAST_APPLIED } from './normalize.js';

export const MASK = '********';
export const MASK_CHANGED = '********(changed)';

type Doc = Record<string, unknown>;

function maskAll(values: unknown): Doc | undefined {
  if (!isMap(values)) return undefined;
  return Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
}

function withMaskedAnnotation(doc: Doc, value: string): void {
  const meta = doc.metadata;
  if (isMap(meta) && isMap(meta.annotations) && LAST_APPLIED in meta.annotations) {
    doc.metadata = { ...meta, annotations: { ...meta.annotations, [LAST_APPLIED]: value } };
  }
}

/** A copy of `obj` with its secret values masked; other kinds are returned unchanged. */
export function maskSecret<T extends Doc | KubeObject>(obj: T): T {
  if (!isSecret(obj)) return obj;
  const out: Doc = { ...obj };
  for (const field of ['data', 'stringData']) {
    const masked = maskAll(out[field]);
    if (masked) out[field] = masked;
  }
  withMaskedAnnotation(out, MASK);
  return out as T;
}

/** Masks `d` against `l`: keys whose values differ get MASK_CHANGED on the desired side. */
function maskPair(d: unknown, l: unknown): { d?: Doc; l?: Doc } {
  const lm = isMap(l) ? l : {};
  const dOut = isMap(d) ? Object.fromEntries(Object.entries(d).map(([k, v]) => [k, k in lm && lm[k] !== v ? MASK_CHANGED : MASK])) : undefined;
  return { d: dOut, l: maskAll(l) };
}

function annotation(doc: Doc): unknown {
  const meta = doc.metadata;
  return isMap(meta) && isMap(meta.annotations) ? meta.annotations[LAST_APPLIED] : undefined;
}

/**
 * Masks a Secret's desired and live documents together so the diff still sees which keys
 * changed. Non-Secrets are returned unchanged.
 */
export function maskSecretPair(desired: Doc, live: Doc): { desired: Doc; live: Doc } {
  if (!isSecret(desired) && !isSecret(live)) return { desired, live };
  const d: Doc = { ...desired };
  const l: Doc = { ...live };
  for (const field of ['data', 'stringData']) {
    const m = maskPair(d[field], l[field]);
    if (m.d) d[field] = m.d;
    if (m.l) l[field] = m.l;
  }
  const dAnn = annotation(d);
  const lAnn = annotation(l);
  withMaskedAnnotation(d, lAnn !== undefined && lAnn !== dAnn ? MASK_CHANGED : MASK);
  withMaskedAnnotation(l, MASK);
  return { desired: d, live: l };
}
