/**
 * The packs of a fetch cache, rolled up when there are too many. Every fetch adds one small pack
 * (only what changed since the last one), and isomorphic-git lists the pack directory and looks
 * through every index for each object it reads; it has no repack, and real git's `gc` is not at
 * hand. So once a cache holds more than `maxPacks` packs, the smallest are written again as one
 * pack of whole objects, chosen as `git repack --geometric=2` does: afterwards each pack holds at
 * least twice the objects of the next smaller one, so an object is rewritten O(log n) times and
 * the first, whole-tree pack stays until the history outgrows it.
 *
 * A roll-up writes its pack and index in a staging folder while reads and fetches go on; only
 * moving them in and removing the old packs needs the git dir to itself (gitdir-lock.ts).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import type { ObjectCache } from './objects.js';

/** Packs a cache may hold before they are rolled up. */
export const MAX_PACKS = 32;

/** Where a roll-up writes its pack and index before they move into objects/pack. */
const STAGING = 'sluice-rollup';

export interface PackFile {
  /** File name without extension: `pack-<sha>`. */
  readonly name: string;
  readonly objects: number;
}

const IDX_HEADER = 8 + 256 * 4;

/** The packs that have an index (a pack without one is not read: a fetch or roll-up under way or cut short). */
export async function packsOf(gitdir: string): Promise<PackFile[]> {
  const dir = join(gitdir, 'objects', 'pack');
  const files = await fs.promises.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const names = files.filter((f) => f.endsWith('.idx') && files.includes(f.replace(/\.idx$/, '.pack'))).map((f) => f.slice(0, -'.idx'.length));
  return Promise.all(names.map(async (name) => {
    const handle = await fs.promises.open(join(dir, `${name}.idx`), 'r');
    try {
      const header = Buffer.alloc(IDX_HEADER);
      await handle.read(header, 0, IDX_HEADER, 0);
      return { name, objects: header.readUInt32BE(IDX_HEADER - 4) };
    } finally {
      await handle.close();
    }
  }));
}

/** The object ids of a version-2 pack index: magic, version, 256 fan-out counts, then the sorted ids. */
export function indexOids(idx: Uint8Array): string[] {
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  if (idx.byteLength < IDX_HEADER || view.getUint32(0) !== 0xff744f63 || view.getUint32(4) !== 2) throw new Error('not a version 2 pack index');
  const count = view.getUint32(IDX_HEADER - 4);
  if (idx.byteLength < IDX_HEADER + count * 20) throw new Error(`pack index cut short: ${count} objects announced`);
  const oids: string[] = [];
  for (let i = 0; i < count; i++) oids.push(Buffer.from(idx.subarray(IDX_HEADER + i * 20, IDX_HEADER + (i + 1) * 20)).toString('hex'));
  return oids;
}

/**
 * The packs to roll into one, smallest first, so that the packs left and the new one form a
 * progression of factor 2 by object count (git's geometric repack); empty when they already do.
 */
export function rollup(packs: readonly PackFile[]): PackFile[] {
  const sorted = [...packs].sort((a, b) => a.objects - b.objects || a.name.localeCompare(b.name));
  // The largest packs already in progression stay; the split is the first pack from the top that breaks it.
  let split = sorted.length - 1;
  while (split > 0 && sorted[split].objects >= 2 * sorted[split - 1].objects) split--;
  if (split === 0) return [];
  // Rolling up [0, split) must leave the new pack at most half of the next one; else that one joins.
  let total = sorted.slice(0, split).reduce((n, p) => n + p.objects, 0);
  while (split < sorted.length && 2 * total > sorted[split].objects) total += sorted[split++].objects;
  return split >= 2 ? sorted.slice(0, split) : [];
}

export interface RollupResult {
  /** Packs before and after. */
  readonly before: number;
  readonly after: number;
  /** Objects written into the new pack. */
  readonly objects: number;
}

/** What a roll-up needs of its git dir's locks: `apply` runs the swap with the dir to itself. */
export interface RollupDeps {
  readonly cache: ObjectCache;
  readonly apply: (swap: () => Promise<void>) => Promise<void>;
}

/**
 * Rolls up the packs of `gitdir` when it holds more than `maxPacks` (see rollup()). Undefined when
 * there was nothing to do. The new pack and index are complete before they move in, and they move
 * in before an old pack goes, so every object stays readable whenever this stops.
 */
export async function rollupPacks(gitdir: string, deps: RollupDeps, maxPacks = MAX_PACKS): Promise<RollupResult | undefined> {
  const packs = await packsOf(gitdir);
  if (packs.length <= maxPacks) return undefined;
  const chosen = rollup(packs);
  if (chosen.length === 0) return undefined;
  const dir = join(gitdir, 'objects', 'pack');
  const oids = new Set<string>();
  for (const p of chosen) for (const oid of indexOids(await fs.promises.readFile(join(dir, `${p.name}.idx`)))) oids.add(oid);
  const staging = join(gitdir, STAGING);
  await fs.promises.rm(staging, { recursive: true, force: true });
  await fs.promises.mkdir(staging, { recursive: true });
  const { filename, packfile } = await git.packObjects({ fs, gitdir, oids: [...oids], cache: deps.cache });
  await fs.promises.writeFile(join(staging, filename), packfile as Uint8Array);
  await git.indexPack({ fs, dir: gitdir, gitdir, filepath: join(STAGING, filename), cache: deps.cache });
  const name = filename.replace(/\.pack$/, '');
  await deps.apply(async () => {
    // The pack before its index: a reader lists indexes, so it never finds one without its pack.
    await fs.promises.rename(join(staging, `${name}.pack`), join(dir, `${name}.pack`));
    await fs.promises.rename(join(staging, `${name}.idx`), join(dir, `${name}.idx`));
    for (const p of chosen) {
      if (p.name === name) continue;
      await fs.promises.rm(join(dir, `${p.name}.idx`), { force: true });
      await fs.promises.rm(join(dir, `${p.name}.pack`), { force: true });
    }
    // A pack without an index here is left by a process stopped between the two renames (fetches,
    // which write a pack and then its index, wait while this runs).
    const files = await fs.promises.readdir(dir);
    for (const f of files) if (f.endsWith('.pack') && !files.includes(f.replace(/\.pack$/, '.idx'))) await fs.promises.rm(join(dir, f), { force: true });
    // isomorphic-git keeps each pack's index and contents in the cache, by file name.
    for (const key of Reflect.ownKeys(deps.cache)) delete (deps.cache as Record<string | symbol, unknown>)[key];
  });
  await fs.promises.rm(staging, { recursive: true, force: true });
  return { before: packs.length, after: packs.length - chosen.length + 1, objects: oids.size };
}
