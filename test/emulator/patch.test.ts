/**
 * The patch semantics: JSON merge and strategic merge (fixtures/emulator/patches.yaml) and
 * server-side apply with managedFields, conflicts, force and removal (fixtures/emulator/apply.yaml).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ApplyConflictError, serverSideApply, type ManagedEntry } from '../../src/emulator/patch/managed.js';
import { mergePatch, strategicMerge, type Json } from '../../src/emulator/patch/merge.js';

type J = { [k: string]: Json };
const load = <T>(name: string): T => parse(readFileSync(resolve('test/fixtures/emulator', name), 'utf8')) as T;

interface PatchCase { name: string; type: 'merge' | 'strategic'; live: J; patch: J; want: J }
interface Step { manager: string; force?: boolean; config: J; want?: J; fields?: Record<string, J>; conflict?: string[] }

function assertSubset(actual: Json | undefined, want: Json, path = ''): void {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    for (const [k, v] of Object.entries(want)) assertSubset((actual as J | undefined)?.[k], v, `${path}.${k}`);
  } else assert.deepEqual(actual, want, path);
}

describe('emulator/patch', () => {
  for (const c of load<PatchCase[]>('patches.yaml')) {
    it(c.name, () => {
      const got = c.type === 'merge' ? mergePatch(c.live, c.patch) : strategicMerge(c.live, c.patch);
      assert.deepEqual(got, c.want);
    });
  }

  for (const c of load<{ name: string; steps: Step[] }[]>('apply.yaml')) {
    it(`server-side apply: ${c.name}`, () => {
      let live: J | undefined;
      for (const s of c.steps) {
        if (s.conflict) {
          assert.throws(() => serverSideApply(live, s.config, s.manager, s.force === true, '2025-01-01T00:00:00Z'), (err: unknown) => {
            assert.ok(err instanceof ApplyConflictError);
            assert.deepEqual(err.conflicts.map((x) => `conflict with "${x.manager}": ${x.path}`), s.conflict);
            return true;
          });
          continue;
        }
        live = serverSideApply(live, s.config, s.manager, s.force === true, '2025-01-01T00:00:00Z');
        if (s.want) assertSubset(live, s.want);
        if (s.want?.data) assert.deepEqual(live.data, s.want.data);
        const entries = (live.metadata as J).managedFields as unknown as ManagedEntry[];
        for (const e of entries) assert.equal(e.fieldsType, 'FieldsV1');
        for (const [manager, fields] of Object.entries(s.fields ?? {})) {
          const entry = entries.find((e) => e.manager === manager && e.operation === 'Apply');
          assert.deepEqual(entry?.fieldsV1, fields, manager);
        }
      }
    });
  }
});
