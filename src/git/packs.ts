/**
 * The packs of a fetch cache, merged when there are too many. Every fetch adds one small pack
 * (only what changed since the last one), and isomorphic-git lists the pack directory and looks
 * through every index for each object it reads; it has no repack, and real git's `gc` is not at
 * hand. So once a cache holds more than `maxPacks` packs, all but the largest (usually the first,
 * depth-1 fetch) are written again as one pack of whole objects, and the old ones removed.
 *
 * The caller makes sure nothing else reads or writes the git dir meanwhile (gitdir-lock.ts).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import type { ObjectCache } from './objects.js';

/** Packs a cache may hold before they are merged. */
export const MAX_PACKS = 32;

export interface PackFile {
  /** File name without extension: `pack-<sha>`. */
  readonly name: string;
  readonly bytes: number;
}

/** The packs that have an index (a pack without one is not read, and is a merge cut short). */
export async function packsOf(gitdir: string): Promise<PackFile[]> {
  const dir = join(gitdir, 'objects', 'pack');
  const files = await fs.promises.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const names = files.filter((f) => f.endsWith('.idx') && files.includes(f.replace(/\.idx$/, '.pack'))).map((f) => f.slice(0, -'.idx'.length));
  return Promise.all(names.map(async (name) => ({ name, bytes: (await fs.promises.stat(join(dir, `${name}.pack`))).size })));
}

/** The object ids of a version-2 pack index: magic, version, 256 fan-out counts, then the sorted ids. */
export function indexOids(idx: Uint8Array): string[] {
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  if (idx.byteLength < 8 + 256 * 4 || view.getUint32(0) !== 0xff744f63 || view.getUint32(4) !== 2) throw new Error('not a version 2 pack index');
  const count = view.getUint32(8 + 255 * 4);
  const start = 8 + 256 * 4;
  if (idx.byteLength < start + count * 20) throw new Error(`pack index cut short: ${count} objects announced`);
  const oids: string[] = [];
  for (let i = 0; i < count; i++) oids.push(Buffer.from(idx.subarray(start + i * 20, start + (i + 1) * 20)).toString('hex'));
  return oids;
}

export interface MergeResult {
  /** Packs before and after. */
  readonly before: number;
  readonly after: number;
  /** Objects written into the merged pack. */
  readonly objects: number;
}

/**
 * Merges the packs of `gitdir` when it holds more than `maxPacks`: every pack but the largest into
 * one. Returns undefined when there was nothing to do. The new pack and its index are complete
 * before an old pack goes, so an interrupted merge leaves every object readable.
 */
export async function mergePacks(gitdir: string, cache: ObjectCache, maxPacks = MAX_PACKS): Promise<MergeResult | undefined> {
  const dir = join(gitdir, 'objects', 'pack');
  const packs = await packsOf(gitdir);
  if (packs.length <= maxPacks) return undefined;
  const [largest, ...rest] = [...packs].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  const kept = new Set(indexOids(await fs.promises.readFile(join(dir, `${largest.name}.idx`))));
  const oids = new Set<string>();
  for (const p of rest) for (const oid of indexOids(await fs.promises.readFile(join(dir, `${p.name}.idx`)))) if (!kept.has(oid)) oids.add(oid);
  // Packs cut short by an earlier merge (no index) go too.
  const orphans = (await fs.promises.readdir(dir)).filter((f) => f.endsWith('.pack') && !packs.some((p) => `${p.name}.pack` === f));
  let merged: string | undefined;
  if (oids.size > 0) {
    const { filename } = await git.packObjects({ fs, gitdir, oids: [...oids], write: true, cache });
    await git.indexPack({ fs, dir: gitdir, gitdir, filepath: join('objects', 'pack', filename), cache });
    merged = filename.replace(/\.pack$/, '');
  }
  for (const p of rest) {
    if (p.name === merged) continue;
    // The index first: a reader lists indexes, so a pack without one is never opened.
    await fs.promises.rm(join(dir, `${p.name}.idx`), { force: true });
    await fs.promises.rm(join(dir, `${p.name}.pack`), { force: true });
  }
  for (const f of orphans) if (f !== `${merged}.pack`) await fs.promises.rm(join(dir, f), { force: true });
  // isomorphic-git keeps each pack's index and contents in the cache, by file name.
  for (const key of Reflect.ownKeys(cache)) delete (cache as Record<string | symbol, unknown>)[key];
  return { before: packs.length, after: merged ? 2 : 1, objects: oids.size };
}
