/**
 * Masterminds/semver v3 constraints (constraints.go): parsing of constraint strings and the
 * per-operator checks, including the "dirty" (wildcard/partial) handling that makes `>1.x`
 * mean ">= 2.0.0" and `^0.2` mean ">=0.2.0 <0.3.0".
 */
import { SemverVersion, comparePrerelease } from './semver-version.js';

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const CV_NOGROUP = CV.replace(/\((?!\?)/g, '(?:');
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
// Go's regexp is leftmost-first like JS for these patterns; the op alternation order matters.
const CONSTRAINT_RE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE_RE = new RegExp(String.raw`\s*(${CV_NOGROUP})\s+-\s+(${CV_NOGROUP})\s*`, 'g');
const FIND_RE = new RegExp(String.raw`(?:${OPS})\s*(?:${CV_NOGROUP})`, 'g');
const VALID_RE = new RegExp(String.raw`^(?:\s*(?:${OPS})\s*(?:${CV_NOGROUP})\s*)(?:(?:\s+|,\s*)(?:${OPS})\s*(?:${CV_NOGROUP})\s*)*$`);

interface Constraint {
  readonly op: string;
  readonly con: SemverVersion;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parseOne(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  const [major, minor, patch, pre] = [m[3], (m[4] ?? '').slice(1), (m[5] ?? '').slice(1), m[6] ?? ''];
  let ver = m[2];
  let [dirty, minorDirty, patchDirty] = [false, false, false];
  if (isX(major) || major === '') [ver, dirty] = [`0.0.0${pre}`, true];
  else if (isX(minor) || minor === '') [ver, dirty, minorDirty] = [`${major}.0.0${pre}`, true, true];
  else if (isX(patch) || patch === '') [ver, dirty, patchDirty] = [`${major}.${minor}.0${pre}`, true, true];
  let con: SemverVersion;
  try {
    con = SemverVersion.parse(ver);
  } catch {
    throw new Error('constraint Parser Error');
  }
  return { op: m[1], con, dirty, minorDirty, patchDirty };
}

/** semver.NewConstraint: OR groups of AND-ed constraints. */
export function parseConstraints(s: string): Constraint[][] {
  const rewritten = s.replace(RANGE_RE, (_all, a: string, b: string) => ` >= ${a}, <= ${b} `);
  return rewritten.split('||').map((group) => {
    if (!VALID_RE.test(group)) throw new Error(`improper constraint: ${group}`);
    const found = group.match(FIND_RE) ?? [group];
    return found.map(parseOne);
  });
}

type Check = (v: SemverVersion, c: Constraint) => boolean;

const tilde: Check = (v, c) => {
  if (v.LessThan(c.con)) return false;
  if (c.con.Major() === 0n && c.con.Minor() === 0n && c.con.Patch() === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.Major() !== c.con.Major()) return false;
  return !(v.Minor() !== c.con.Minor() && !c.minorDirty);
};

const caret: Check = (v, c) => {
  if (v.LessThan(c.con)) return false;
  if (c.con.Major() > 0n || c.minorDirty) return v.Major() === c.con.Major();
  if (v.Major() > 0n) return false;
  if (c.con.Minor() > 0n || c.patchDirty) return v.Minor() === c.con.Minor();
  if (v.Minor() > 0n) return false;
  return c.con.Patch() === v.Patch();
};

const greater: Check = (v, c) => {
  if (!c.dirty) return v.compare(c.con) > 0;
  if (v.Major() !== c.con.Major()) return v.Major() > c.con.Major();
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.Minor() > c.con.Minor();
  return v.compare(c.con) > 0;
};

const lessEqual: Check = (v, c) => {
  if (!c.dirty) return v.compare(c.con) <= 0;
  if (v.Major() > c.con.Major()) return false;
  return !(v.Major() === c.con.Major() && v.Minor() > c.con.Minor() && !c.minorDirty);
};

function notEqual(v: SemverVersion, c: Constraint): boolean {
  if (c.dirty) {
    if (v.Prerelease() !== '' && c.con.Prerelease() === '') return false;
    if (c.con.Major() !== v.Major()) return true;
    if (c.con.Minor() !== v.Minor() && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.Patch() !== v.Patch() && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.Prerelease() !== '' || c.con.Prerelease() !== '') return comparePrerelease(v.Prerelease(), c.con.Prerelease()) !== 0;
      return false;
    }
  }
  return !v.Equal(c.con);
}

const OPERATORS: Record<string, Check> = {
  '': (v, c) => (c.dirty ? tilde(v, c) : v.Equal(c.con)),
  '>': greater,
  '<': (v, c) => v.compare(c.con) < 0,
  '>=': (v, c) => v.compare(c.con) >= 0,
  '<=': lessEqual,
  '~': tilde,
  '^': caret,
};
for (const [alias, op] of [['=', ''], ['=>', '>='], ['=<', '<='], ['~>', '~']]) OPERATORS[alias] = OPERATORS[op];

function check(v: SemverVersion, c: Constraint): boolean {
  if (c.op === '!=') return notEqual(v, c);
  // A prerelease version only matches constraints that name a prerelease (Masterminds issue 21).
  if (v.Prerelease() !== '' && c.con.Prerelease() === '') return false;
  return OPERATORS[c.op](v, c);
}

/** semverCompare: does `v` satisfy the constraint string? */
export function checkConstraint(constraint: string, v: SemverVersion): boolean {
  return parseConstraints(constraint).some((group) => group.every((c) => check(v, c)));
}
