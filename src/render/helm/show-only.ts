/**
 * `helm template --show-only` (pure): the printed manifests split into documents as
 * releaseutil.SplitManifests does, each kept when its `# Source: <chart>/<path>` matches one of the
 * given paths as Go's filepath.Match matches (`*`, `?`, `[...]`), in the order of the paths, each
 * printed as `---\n<document>\n`. A path that matches nothing fails as helm fails.
 */
import { RenderError } from './errors.js';

/** Go's filepath.Match pattern as a RegExp; undefined for a malformed pattern (helm then matches nothing). */
export function goGlob(pattern: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (++i >= pattern.length) return undefined;
      re += escape(pattern[i]);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^/' : ''}${body.replace(/[\]\\]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The documents of a manifest stream, trimmed, empty ones left out (releaseutil.SplitManifests). */
export function splitManifests(text: string): string[] {
  return text.trim().split(/(?:^|\s*\n)---\s*/).map((d) => d.trim()).filter((d) => d !== '');
}

const SOURCE = /# Source: [^/]+\/(.+)/;

/** The `--show-only` output of `manifests` (what `helm template` would print without it). */
export function showOnly(manifests: string, paths: readonly string[]): string {
  const docs = splitManifests(manifests);
  const out: string[] = [];
  for (const path of paths) {
    const pattern = goGlob(path);
    let missing = true;
    for (const doc of docs) {
      const m = SOURCE.exec(doc);
      if (!m || !pattern?.test(m[1])) continue;
      out.push(`---\n${doc}\n`);
      missing = false;
    }
    if (missing) throw new RenderError('ESHOWONLY', `could not find template ${path} in chart`);
  }
  return out.join('');
}
