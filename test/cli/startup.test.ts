/**
 * Start-up cost of the CLI, checked by structure rather than by the clock: `sluice --help` loads
 * no command module, and each command module loads, before it runs, only what every one of its
 * paths needs — never the engine, renderer, emulator or runtime, which are imported when used.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { COMMANDS } from '../../src/cli/commands/index.js';
import type { Command } from '../../src/cli/command.js';
import { staticClosure } from '../support/static-closure.js';

const dist = resolve('dist/src');
// What each command imports only when it runs: a whole area's worth of modules, or a large package.
const HEAVY_AREAS = ['engine', 'render', 'emulator', 'runtime', 'sync', 'git', 'promote'];
const HEAVY_PACKAGES = ['isomorphic-git', '@kubernetes/client-node', 'express', 'ajv', 'prom-client', 'fast-json-patch', 'node-forge', 'nodemailer'];

describe('cli/startup', () => {
  it('lists exactly the command modules there are', () => {
    const files = readdirSync(resolve(dist, 'cli/commands')).filter((f) => f.endsWith('.js') && f !== 'index.js').map((f) => f.slice(0, -3)).sort();
    assert.deepEqual(Object.keys(COMMANDS).sort(), files);
  });

  it('answers --help from the entry point alone', () => {
    const { files } = staticClosure(resolve(dist, 'cli/main.js'));
    assert.deepEqual([...files].map((f) => relative(dist, f)).filter((f) => f.startsWith('cli/commands/') && f !== 'cli/commands/index.js'), []);
  });

  for (const name of Object.keys(COMMANDS)) {
    it(`${name}: loads no engine, renderer, emulator or heavy package before it runs`, async () => {
      const file = resolve(dist, `cli/commands/${name}.js`);
      const { files, packages } = staticClosure(file);
      const areas = [...files].map((f) => relative(dist, f).split('/')[0]);
      assert.deepEqual([...new Set(areas.filter((a) => HEAVY_AREAS.includes(a)))], [], `${name} statically loads ${[...files].map((f) => relative(dist, f)).filter((f) => HEAVY_AREAS.includes(f.split('/')[0])).join(', ')}`);
      assert.deepEqual([...packages].filter((p) => HEAVY_PACKAGES.includes(p)), []);
      const mod = (await import(file)) as { command: Command };
      assert.match(mod.command.usage, new RegExp(`sluice ${name}\\b`));
    });
  }
});
