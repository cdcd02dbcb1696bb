/**
 * Sprig's `semver` and `semverCompare`, ported from Masterminds/semver v3 (version.go,
 * constraints.go) rather than node-semver, whose range rules differ (prereleases, `>1.x`,
 * caret on 0.x, `!=` with wildcards). Versions parse leniently like semver.NewVersion ("v1",
 * "1.2" are fine); constraints support `= != > < >= => <= =< ~ ~> ^`, x/X/* wildcards,
 * hyphen ranges `1.2 - 1.4.5`, `,`/space for AND and `||` for OR. A version with a prerelease
 * only satisfies constraints that carry a prerelease themselves.
 */
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';
import { checkConstraint } from './semver-constraint.js';
import { SemverVersion } from './semver-version.js';

export { SemverVersion, comparePrerelease } from './semver-version.js';

export function register(m: FuncMap): void {
  defineFunc(m, 'semver', 1, (s) => SemverVersion.parse(argString(s)));
  defineFunc(m, 'semverCompare', 2, (c, v) => checkConstraint(argString(c), SemverVersion.parse(argString(v))));
}
