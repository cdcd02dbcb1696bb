/**
 * Caches a long-running renderer keeps between renders, keyed by the SHA-256 digest of the source
 * text they derive from: parsed template sets, decoded values.yaml files, compiled
 * values.schema.json validators. The controller renders the same chart for every environment and
 * again on every values change or reconcile, so the sources repeat while the values change; what
 * is cached depends on the sources only, never on values or rendered output. Entries are evicted
 * least-recently-used beyond a fixed count.
 */
import { createHash } from 'node:crypto';
import { clearSharedParses } from '../gotemplate/template.js';

const ALL = new Set<DigestCache<unknown>>();

/** SHA-256 over the parts, each followed by a NUL so ["ab","c"] and ["a","bc"] differ. */
export function digestOf(parts: Iterable<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export class DigestCache<V> {
  private readonly entries = new Map<string, V>();
  private hitCount = 0;
  private missCount = 0;

  /** `capacity`: entries kept; the least recently used beyond it are dropped. */
  constructor(readonly capacity: number) {
    ALL.add(this as DigestCache<unknown>);
  }

  /** The cached value for `key`, or `make()`'s result, stored. A throwing `make` stores nothing. */
  get(key: string, make: () => V): V {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.hitCount++;
      this.entries.delete(key); // re-insert as most recently used
      this.entries.set(key, cached);
      return cached;
    }
    this.missCount++;
    const v = make();
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, v);
    return v;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Hits and misses since creation or the last clear. */
  stats(): { hits: number; misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }

  clear(): void {
    this.entries.clear();
    this.hitCount = 0;
    this.missCount = 0;
  }
}

/** Empties every render cache (benchmarks measuring a cold cache; tests), parse trees included. */
export function clearRenderCaches(): void {
  for (const c of ALL) c.clear();
  clearSharedParses();
}
