/**
 * Promotions and the auto-promoter's memory as they are kept in the cluster across restarts (the
 * ports `PromotionHistory` and `AutoPromotionMemory`), and their encoding. A promotion record holds
 * what the API shows — the pull request's URL, never the forge token; notes have credentials
 * redacted. Decoding checks every field the promoter relies on and says what is wrong.
 */
import { redactCredentials } from '../common/redact.js';
import type { PromotionRecord, PromotionState } from './promoter.js';
import type { AutoMemory } from './auto.js';
export type { AutoMemory };

export class PromotionRecordError extends Error {
  readonly code = 'EPROMOTIONRECORD';
  constructor(readonly problem: string) {
    super(`promotion record ${problem}`);
    this.name = 'PromotionRecordError';
  }
}

const STATES: ReadonlySet<string> = new Set<PromotionState>(['proposed', 'committed', 'merged', 'synced']);

export function encodePromotion(r: PromotionRecord): string {
  return JSON.stringify({ v: 1, ...r, ...(r.note !== undefined ? { note: redactCredentials(r.note) } : {}), ...(r.url !== undefined ? { url: redactCredentials(r.url) } : {}) });
}

export function decodePromotion(json: string): PromotionRecord {
  const r = parse(json);
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id) || r.id < 1) throw new PromotionRecordError('has no positive integer id');
  for (const k of ['app', 'from', 'to', 'tag', 'commit', 'by', 'at']) str(r, k);
  if (r.mode !== 'direct' && r.mode !== 'pull-request') throw new PromotionRecordError(`has an unknown mode ${JSON.stringify(r.mode)}`);
  if (typeof r.state !== 'string' || !STATES.has(r.state)) throw new PromotionRecordError(`has an unknown state ${JSON.stringify(r.state)}`);
  for (const k of ['branch', 'url', 'note']) if (r[k] !== undefined) str(r, k);
  const { v: _version, ...record } = r;
  return record as unknown as PromotionRecord;
}

export function encodeAutoMemory(m: AutoMemory): string {
  return JSON.stringify({ v: 1, app: m.app, to: m.to, ...(m.healthy ? { healthy: m.healthy } : {}), done: m.done });
}

export function decodeAutoMemory(json: string): AutoMemory {
  const r = parse(json);
  const app = str(r, 'app');
  const to = str(r, 'to');
  if (!Array.isArray(r.done) || !r.done.every((t) => typeof t === 'string')) throw new PromotionRecordError('has no done list');
  if (r.healthy === undefined) return { app, to, done: r.done as string[] };
  const h = r.healthy as Record<string, unknown>;
  if (h === null || typeof h !== 'object' || typeof h.since !== 'number' || !Number.isFinite(h.since)) throw new PromotionRecordError('has a healthy entry without a time');
  return { app, to, healthy: { from: str(h, 'from'), tag: str(h, 'tag'), since: h.since }, done: r.done as string[] };
}

function parse(json: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new PromotionRecordError('is not JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new PromotionRecordError('is not an object');
  const r = v as Record<string, unknown>;
  if (r.v !== 1) throw new PromotionRecordError(`has an unknown version ${JSON.stringify(r.v)}`);
  return r;
}

function str(o: Record<string, unknown>, k: string): string {
  if (typeof o[k] !== 'string') throw new PromotionRecordError(`has no string ${k}`);
  return o[k] as string;
}
