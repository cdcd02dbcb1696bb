/**
 * Sprig's path functions: Go's path package (base, dir, clean, ext, isAbs) and path/filepath
 * (osBase, osDir, osClean, osExt, osIsAbs), which on Linux — where Helm renders — behave the same.
 */
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';

/** Go's path.Clean: lexical processing of `.`, `..` and repeated slashes. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

export function base(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

export function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

export function register(m: FuncMap): void {
  for (const prefix of ['', 'os']) {
    const n = (s: string): string => (prefix ? prefix + s[0].toUpperCase() + s.slice(1) : s);
    defineFunc(m, n('base'), 1, (p) => base(argString(p)));
    defineFunc(m, n('dir'), 1, (p) => dir(argString(p)));
    defineFunc(m, n('clean'), 1, (p) => clean(argString(p)));
    defineFunc(m, n('ext'), 1, (p) => ext(argString(p)));
    defineFunc(m, n('isAbs'), 1, (p) => argString(p).startsWith('/'));
  }
}
