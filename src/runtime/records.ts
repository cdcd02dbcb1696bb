/**
 * The kept records of a controller process: promotions, the auto-promoter's memory and builds, each
 * a RecordStore of labelled ConfigMaps in the state namespace behind the port its owner declares.
 * A record that does not decode is logged once (at the load that met it) and skipped.
 */
import { decodeBuild, encodeBuild, type BuildHistory, type StoredBuild } from '../build/records.js';
import { errorText } from '../common/error-text.js';
import { RecordStore, type RecordCluster, type RecordKind, type StateRecord } from '../kube/record-store.js';
import type { Logger } from '../log/logger.js';
import type { AutoMemory, AutoPromotionMemory } from '../promote/auto.js';
import type { PromotionHistory, PromotionRecord } from '../promote/promoter.js';
import { decodeAutoMemory, decodePromotion, encodeAutoMemory, encodePromotion } from '../promote/records.js';

export interface RecordLimits {
  /** Builds kept per app. Default 50. */
  readonly buildsPerApp: number;
  /** Promotions kept per app. Default 100. */
  readonly promotionsPerApp: number;
}

export function defaultRecordLimits(): RecordLimits {
  return { buildsPerApp: 50, promotionsPerApp: 100 };
}

export interface KeptRecordPorts {
  readonly builds: BuildHistory;
  readonly promotions: PromotionHistory;
  readonly autoPromotion: AutoPromotionMemory;
}

interface Codec<T> {
  readonly encode: (r: T) => string;
  readonly decode: (data: string) => T;
  readonly name: (r: T) => string;
  readonly app: (r: T) => string;
}

export function keptRecordPorts(client: RecordCluster, namespace: string, log: Logger, limits: RecordLimits = defaultRecordLimits()): KeptRecordPorts {
  const port = <T>(kind: RecordKind, perApp: number, codec: Codec<T>) => kept(new RecordStore(client, namespace, kind, perApp), codec, log);
  return {
    builds: port<StoredBuild>('build', limits.buildsPerApp, { encode: encodeBuild, decode: decodeBuild, name: (s) => s.build.id, app: (s) => s.build.app }),
    promotions: port<PromotionRecord>('promotion', limits.promotionsPerApp, { encode: encodePromotion, decode: decodePromotion, name: (r) => String(r.id), app: (r) => r.app }),
    // One record per app × target env: the per-app limit never trims it.
    autoPromotion: port<AutoMemory>('auto-promotion', 0, { encode: encodeAutoMemory, decode: decodeAutoMemory, name: (m) => `${m.app}.${m.to}`, app: (m) => m.app }),
  };
}

function kept<T>(store: RecordStore, codec: Codec<T>, log: Logger): { load(): Promise<T[]>; save(records: readonly T[]): Promise<void> } {
  return {
    async load() {
      const out: T[] = [];
      await store.load((r: StateRecord) => {
        try {
          out.push(codec.decode(r.data));
          return true;
        } catch (err) {
          log.log('warn', 'kept record skipped: it does not decode', { object: `ConfigMap/${store.namespace}/sluice-${store.kind}.${r.name}`, error: errorText(err) });
          return false;
        }
      });
      return out;
    },
    async save(records) {
      await store.save(records.map((r) => ({ name: codec.name(r), app: codec.app(r), data: codec.encode(r) })));
    },
  };
}
