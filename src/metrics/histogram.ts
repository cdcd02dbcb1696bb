/**
 * A prom-client Histogram whose per-label-set bucket counters stay small. prom-client keeps each
 * label set's counts in an object keyed by the buckets' upper bounds, spread from one template.
 * Bounds such as 600 or 1800 are array indices to V8, and a spread copy gets a dense backing store
 * sized to the largest (some 2,700 slots, 21 KB, for 1800): with thousands of app × envs that is
 * hundreds of MiB. Each label set's counts are rebuilt here, once, with the largest bound added
 * first, which V8 keeps as a small dictionary. Observations through `labels(...)` are not rebuilt
 * (sluice makes none).
 */
import { Histogram, type HistogramConfiguration, type LabelValues } from 'prom-client';

/** What this class reaches of prom-client's Histogram (15.x), beyond its typed API. */
interface Internals<T extends string> {
  observe: (labels?: LabelValues<T> | number, value?: number) => void;
  readonly hashMap: Record<string, { bucketValues: Record<number, number> } | undefined>;
  readonly upperBounds: readonly number[];
  readonly sortedLabelNames: readonly string[];
}

export class SparseHistogram<T extends string = string> extends Histogram<T> {
  private readonly rebuilt = new WeakSet<object>();

  constructor(config: HistogramConfiguration<T>) {
    super(config);
    const self = this as unknown as Internals<T>;
    const observe = self.observe;
    self.observe = (labels, value) => {
      observe.call(this, labels, value);
      this.rebuild(labels);
    };
  }

  override zero(labels: LabelValues<T>): void {
    super.zero(labels);
    this.rebuild(labels);
  }

  private rebuild(labels: LabelValues<T> | number | undefined): void {
    if (typeof labels !== 'object') return;
    const self = this as unknown as Internals<T>;
    // prom-client's key of a label set (util.js hashObject); another key only misses the rebuild.
    let key = '';
    for (const name of self.sortedLabelNames) {
      const v = (labels as Record<string, string | number | undefined>)[name];
      if (v !== undefined) key += `${name}:${v},`;
    }
    const entry = self.hashMap[key];
    if (!entry || this.rebuilt.has(entry.bucketValues)) return;
    const values: Record<number, number> = {};
    for (let i = self.upperBounds.length - 1; i >= 0; i--) values[self.upperBounds[i]] = entry.bucketValues[self.upperBounds[i]] ?? 0;
    entry.bucketValues = values;
    this.rebuilt.add(values);
  }
}
