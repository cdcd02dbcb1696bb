/** Loads this area's YAML fixtures (test/fixtures/history/), relative to the repo root mocha runs from. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export function fixture<T>(file: string): T {
  return parse(readFileSync(resolve('test/fixtures/history', file), 'utf8')) as T;
}
