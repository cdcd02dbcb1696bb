/**
 * Sprig's defaults.go: default, empty, coalesce, all, any, ternary. "Empty" is Go's zero value
 * (see reflect.ts `empty`).
 */
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argBool } from './args.js';
import { empty } from './reflect.js';

export function register(m: FuncMap): void {
  // default DEFAULT GIVEN: GIVEN unless it is missing or empty.
  defineFunc(m, 'default', 1, (d, ...given) => (given.length === 0 || empty(given[0]) ? d : given[0]), true);
  defineFunc(m, 'empty', 1, (v) => empty(v));
  defineFunc(m, 'coalesce', 0, (...vs) => vs.find((v) => !empty(v)) ?? null, true);
  defineFunc(m, 'all', 0, (...vs) => vs.every((v) => !empty(v)), true);
  defineFunc(m, 'any', 0, (...vs) => vs.some((v) => !empty(v)), true);
  defineFunc(m, 'ternary', 3, (t, f, c) => (argBool(c) ? t : f));
}
