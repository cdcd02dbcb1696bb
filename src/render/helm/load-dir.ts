/**
 * Reads a chart directory (or a packaged .tgz) from disk into the file map loadChart takes.
 * This is the only module of the renderer that touches the file system.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Chart, loadArchive, loadChart } from './chart.js';

/**
 * Every file under `dir` by relative path, in path order. Reads are issued together
 * rather than one after another: a chart has hundreds of small files and each read is a round
 * trip to libuv's thread pool.
 */
export async function readChartFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const paths: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) subdirs.push(walk(p));
      else if (e.isFile()) paths.push(p);
    }
    await Promise.all(subdirs);
  };
  await walk('');
  paths.sort();
  const data = await Promise.all(paths.map((p) => readFile(join(dir, p))));
  return new Map(paths.map((p, i) => [p, new Uint8Array(data[i].buffer, data[i].byteOffset, data[i].byteLength)]));
}

/** Loads a chart from a directory or a .tgz file. Throws RenderError. */
export async function loadChartDir(path: string): Promise<Chart> {
  if ((await stat(path)).isFile()) return loadArchive(new Uint8Array(await readFile(path)), basename(path));
  return loadChart(await readChartFiles(path), basename(path));
}
