/**
 * Reads a chart directory (or a packaged .tgz) from disk into the file map loadChart takes, the
 * way Helm's loader.LoadDir walks: the top `.helmignore` is applied during the walk, so ignored
 * directories are never entered and ignored files never read. This is the only module of the
 * renderer that touches the file system; it serves one-shot callers (`sluice render`), so reads
 * are synchronous: a chart is hundreds of small files, and a promise plus a thread-pool round trip
 * per file costs more than the read itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Chart, loadArchive, loadChart } from './chart.js';
import { type IgnoreRules, parseHelmignore } from './helmignore.js';

/** Every file under `dir` that `.helmignore` keeps, by relative path. */
export function readChartFiles(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let ignore = '';
  try {
    const data = readFileSync(join(dir, '.helmignore'));
    files.set('.helmignore', data);
    ignore = data.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // Helm's defaults apply without a .helmignore too.
  const rules: IgnoreRules = parseHelmignore(ignore);
  const walk = (rel: string): void => {
    for (const e of readdirSync(rel ? join(dir, rel) : dir, { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!rules.ignored(p, true)) walk(p);
      } else if (e.isFile() && p !== '.helmignore' && !rules.ignored(p, false)) files.set(p, readFileSync(join(dir, p)));
    }
  };
  walk('');
  return files;
}

/** Loads a chart from a directory or a .tgz file. Throws RenderError. */
export function loadChartDir(path: string): Chart {
  if (statSync(path).isFile()) return loadArchive(new Uint8Array(readFileSync(path)), basename(path));
  return loadChart(readChartFiles(path), basename(path));
}
