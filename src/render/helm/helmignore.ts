/**
 * `.helmignore` rules, ported from Helm's pkg/ignore/rules.go: one pattern per line, `#`
 * comments, `!` negation, a trailing `/` matches directories only, a pattern without `/` matches
 * the base name of any path element, patterns use filepath.Match syntax (`**` is not supported).
 */
export interface IgnoreRules {
  ignored(path: string, isDir: boolean): boolean;
}

interface Rule {
  negate: boolean;
  dirOnly: boolean;
  re: RegExp;
  base: boolean;
}

export function parseHelmignore(text: string): IgnoreRules {
  const rules: Rule[] = [];
  // Helm's AddDefaults: templates/.?* (hidden files under templates are never templates).
  for (const raw of ['templates/.?*', ...text.split(/\r?\n/)]) {
    let p = raw.trim();
    if (!p || p.startsWith('#') || p === '**') continue;
    const negate = p.startsWith('!');
    if (negate) p = p.slice(1);
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.slice(0, -1);
    p = p.replace(/^\//, '');
    rules.push({ negate, dirOnly, base: !p.includes('/'), re: globToRegExp(p) });
  }
  return {
    ignored(path: string, isDir: boolean): boolean {
      const base = path.slice(path.lastIndexOf('/') + 1);
      let out = false;
      for (const r of rules) {
        if (r.dirOnly && !isDir) continue;
        if (r.re.test(r.base ? base : path)) out = !r.negate;
      }
      return out;
    },
  };
}

/** filepath.Match syntax: `*`, `?`, `[...]`, `\` escapes; `*` does not cross `/`. */
function globToRegExp(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + p.slice(i + 1, end).replace(/^\^/, '!').replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < p.length) re += '\\' + p[++i];
    else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** Drops ignored files and everything under ignored directories. */
export function applyIgnore(files: ReadonlyMap<string, Uint8Array>, rules: IgnoreRules): Map<string, Uint8Array> {
  // Files share their directories: decide each directory once.
  const dirs = new Map<string, boolean>();
  const dirIgnored = (dir: string): boolean => {
    let v = dirs.get(dir);
    if (v === undefined) {
      const up = dir.lastIndexOf('/');
      v = (up > 0 && dirIgnored(dir.slice(0, up))) || rules.ignored(dir, true);
      dirs.set(dir, v);
    }
    return v;
  };
  const out = new Map<string, Uint8Array>();
  for (const [path, data] of files) {
    const slash = path.lastIndexOf('/');
    if (slash > 0 && dirIgnored(path.slice(0, slash))) continue;
    if (!rules.ignored(path, false)) out.set(path, data);
  }
  return out;
}
