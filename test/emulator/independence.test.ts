/** The emulator is the ground truth sluice is checked against, so it must not share the rules under test. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('emulator/independence', () => {
  it('imports nothing from src/diff, src/sync or src/health', () => {
    const offending = sources('src/emulator').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+(?:diff|sync|health)\/[^']*)'/g)].map((m) => `${file}: ${m[1]}`),
    );
    assert.deepEqual(offending, []);
  });
});
