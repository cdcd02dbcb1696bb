/**
 * Masterminds/semver v3's Version (version.go): lenient parsing like semver.NewVersion, the
 * methods templates call, and ordering with prereleases. A leaf, so constraints
 * (semver-constraint.ts) and the function map (semver.ts) both build on it.
 */
import { GoStruct } from '../gotemplate/value.js';

const VERSION_RE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** Masterminds' *semver.Version, with the methods templates call on it. */
export class SemverVersion extends GoStruct {
  readonly goType = '*semver.Version';
  readonly #major: bigint;
  readonly #minor: bigint;
  readonly #patch: bigint;
  readonly #pre: string;
  readonly #meta: string;
  readonly #original: string;

  constructor(major: bigint, minor: bigint, patch: bigint, pre: string, meta: string, original: string) {
    super();
    [this.#major, this.#minor, this.#patch, this.#pre, this.#meta, this.#original] = [major, minor, patch, pre, meta, original];
  }

  /** semver.NewVersion; throws "Invalid Semantic Version" like Go. */
  static parse(s: string): SemverVersion {
    const m = VERSION_RE.exec(s);
    if (!m) throw new Error('Invalid Semantic Version');
    const pre = m[5] ?? '';
    if (pre.split('.').some((p) => /^0\d+$/.test(p))) throw new Error('Version segment starts with 0');
    const num = (x: string | undefined): bigint => BigInt(x ? x.replace('.', '') : '0');
    const [major, minor, patch] = [num(m[1]), num(m[2]), num(m[3])];
    if ([major, minor, patch].some((n) => n >= 2n ** 64n)) throw new Error('Invalid Semantic Version');
    return new SemverVersion(major, minor, patch, pre, m[8] ?? '', s);
  }

  Major = (): bigint => this.#major;
  Minor = (): bigint => this.#minor;
  Patch = (): bigint => this.#patch;
  Prerelease = (): string => this.#pre;
  Metadata = (): string => this.#meta;
  Original = (): string => this.#original;
  String = (): string => `${this.#major}.${this.#minor}.${this.#patch}${this.#pre ? '-' + this.#pre : ''}${this.#meta ? '+' + this.#meta : ''}`;
  MarshalJSON = (): string => JSON.stringify(this.String());

  /** Version.Compare: -1, 0, 1 by major, minor, patch, then prerelease (none sorts last). */
  compare(o: SemverVersion): number {
    for (const [a, b] of [[this.#major, o.#major], [this.#minor, o.#minor], [this.#patch, o.#patch]]) if (a !== b) return a < b ? -1 : 1;
    if (this.#pre === o.#pre) return 0;
    if (this.#pre === '') return 1;
    if (o.#pre === '') return -1;
    return comparePrerelease(this.#pre, o.#pre);
  }

  Compare = (o: SemverVersion): bigint => BigInt(this.compare(o));
  LessThan = (o: SemverVersion): boolean => this.compare(o) < 0;
  GreaterThan = (o: SemverVersion): boolean => this.compare(o) > 0;
  Equal = (o: SemverVersion): boolean => this.compare(o) === 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = /^\d+$/.test(s);
  const on = /^\d+$/.test(o);
  if (!sn && !on) return s > o ? 1 : -1;
  if (!sn) return 1;
  if (!on) return -1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

export function comparePrerelease(a: string, b: string): number {
  const sp = a.split('.');
  const op = b.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}
