/**
 * Promotion settings of sluice.yaml: per env, how a release may be promoted into it
 * (`promotion:`), and top level, the forge that receives pull requests (`forge:`).
 *
 *   environments:
 *     - name: prod
 *       promotion: {direct: false, requireHealthy: true, values: [replicaCount], autoPromote: {from: stage, after: 30m}}
 *   forge: {type: github, api: https://api.github.com, repo: acme/config, tokenFile: /etc/sluice/forge/token}
 */
import { FORGE_IDS, isForgeId, type ForgeSpec } from '../forge/registry.js';
import { Cursor, field, readBool, readDuration, readMap, readString, readStringList } from './reader.js';

export interface PromotionPolicy {
  /** Commit promotions straight to the tracked branch (else: a branch and a pull request). */
  readonly direct: boolean;
  /** Refuse unless the source env is Synced and Healthy on the tag being promoted. */
  readonly requireHealthy: boolean;
  /** Keys (dot paths) of the app's values.yaml copied along with the image tag. */
  readonly values: readonly string[];
  /** Promote by itself once the source has been Healthy on a new tag this long. */
  readonly autoPromote?: { readonly from?: string; readonly afterMs: number };
}

/** The forge types are the registered forges' ids (src/forge/registry.ts). */
export type { ForgeId as ForgeType, ForgeSpec } from '../forge/registry.js';

export const DEFAULT_PROMOTION: PromotionPolicy = { direct: false, requireHealthy: true, values: [] };

const KEY_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function readPromotion(c: Cursor): PromotionPolicy {
  if (!c.present) return DEFAULT_PROMOTION;
  const f = readMap(c, ['direct', 'requireHealthy', 'values', 'autoPromote']);
  const values = readStringList(field(c, f, 'values'), { pattern: KEY_PATH, patternReason: 'must be a values key path like image.pullPolicy' }) ?? [];
  const auto = field(c, f, 'autoPromote');
  let autoPromote: PromotionPolicy['autoPromote'];
  if (auto.present) {
    const af = readMap(auto, ['from', 'after']);
    const from = readString(field(auto, af, 'from'));
    const afterCursor = field(auto, af, 'after');
    if (!afterCursor.present) afterCursor.fail('required (how long the source must be Healthy, e.g. 30m)');
    autoPromote = { ...(from !== undefined ? { from } : {}), afterMs: readDuration(afterCursor, 0, { positive: true }) };
  }
  return { direct: readBool(field(c, f, 'direct'), false), requireHealthy: readBool(field(c, f, 'requireHealthy'), true), values, ...(autoPromote ? { autoPromote } : {}) };
}

export function readForge(c: Cursor): ForgeSpec | undefined {
  if (!c.present) return undefined;
  const f = readMap(c, ['type', 'api', 'repo', 'tokenFile']);
  const typeCursor = field(c, f, 'type');
  const type = readString(typeCursor, { required: true });
  if (type !== undefined && !isForgeId(type)) typeCursor.fail(`must be one of ${FORGE_IDS.join(', ')}`);
  const api = readString(field(c, f, 'api'), { required: true, pattern: /^https?:\/\/\S+$/, patternReason: 'must be an http(s) URL' });
  const repo = readString(field(c, f, 'repo'), { required: true });
  const tokenFile = readString(field(c, f, 'tokenFile'), { pattern: /^\//, patternReason: 'must be an absolute path (a mounted Secret)' });
  if (type === undefined || !isForgeId(type) || api === undefined || repo === undefined) return undefined;
  return { type, api: api.replace(/\/+$/, ''), repo, ...(tokenFile !== undefined ? { tokenFile } : {}) };
}
