/**
 * The store's event history as a fixed-size ring: appending is O(1) (no array splicing when it is
 * full) and `since(rv)` finds where to resume by binary search, since resourceVersions only grow.
 */
export interface Versioned {
  readonly rv: number;
}

export class History<E extends Versioned> {
  private readonly ring: (E | undefined)[];
  /** Index of the oldest event. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`history capacity must be positive, got ${capacity}`);
    this.ring = new Array<E | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  private at(i: number): E {
    return this.ring[(this.head + i) % this.capacity] as E;
  }

  /** The oldest event kept, if any. */
  first(): E | undefined {
    return this.count ? this.at(0) : undefined;
  }

  push(e: E): void {
    if (this.count < this.capacity) {
      this.ring[(this.head + this.count) % this.capacity] = e;
      this.count++;
      return;
    }
    // Full: the new event takes the oldest one's slot.
    this.ring[this.head] = e;
    this.head = (this.head + 1) % this.capacity;
  }

  /** Events with a resourceVersion greater than `rv`, oldest first. */
  since(rv: number): E[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).rv > rv) hi = mid;
      else lo = mid + 1;
    }
    const out: E[] = new Array<E>(this.count - lo);
    for (let i = lo; i < this.count; i++) out[i - lo] = this.at(i);
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}
