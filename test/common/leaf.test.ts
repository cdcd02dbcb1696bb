/** src/common sits below every area (docs/architecture.md): it imports nothing from another area of src/. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('common/leaf', () => {
  it('imports nothing outside src/common', () => {
    const files = readdirSync('src/common').filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 0);
    const offending = files.flatMap((f) =>
      [...readFileSync(join('src/common', f), 'utf8').matchAll(/from '(\.\.\/[^']*)'/g)].map((m) => `${f}: ${m[1]}`),
    );
    assert.deepEqual(offending, []);
  });
});
