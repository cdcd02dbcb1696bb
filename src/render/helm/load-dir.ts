/**
 * Reads a chart directory (or a packaged .tgz) from disk into the file map loadChart takes.
 * This is the only module of the renderer that touches the file system.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Chart, loadArchive, loadChart } from './chart.js';

export async function readChartFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.set(p, new Uint8Array(await readFile(join(dir, p))));
    }
  };
  await walk('');
  return files;
}

/** Loads a chart from a directory or a .tgz file. Throws RenderError. */
export async function loadChartDir(path: string): Promise<Chart> {
  if ((await stat(path)).isFile()) return loadArchive(new Uint8Array(await readFile(path)), basename(path));
  return loadChart(await readChartFiles(path), basename(path));
}
