/** What every controller of the emulator is, and the queue it is handed: a leaf, so the controllers and the manager that runs them do not import each other. */
import type { StoreEvent } from '../store.js';

export interface Queue {
  add(key: string): void;
  addAfter(key: string, ms: number): void;
  /** Cancels a delayed add. */
  forget(key: string): void;
}

export interface Controller {
  readonly name: string;
  /** By resource key (`group/plural`): the keys of this controller's objects a store event concerns. */
  readonly watches: Record<string, (e: StoreEvent) => Iterable<string>>;
  /** Sees every store event (the garbage collector). */
  any?(e: StoreEvent): void;
  sync(key: string): void;
  /** Forgets in-memory state (the store was wiped). */
  reset?(): void;
}
