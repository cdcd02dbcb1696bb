import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { appEnvName, appEnvSpecObject, appEnvStatus, MAX_MESSAGE, type AppEnvObjectStatus } from '../../src/engine/appenv.js';
import type { AppEnvStatus } from '../../src/engine/status.js';

const NOW = '2026-02-02T00:00:00.000Z';
const T0 = '2026-01-01T00:00:00.000Z';

interface Case {
  readonly name: string;
  readonly status: Partial<AppEnvStatus>;
  readonly previous?: Partial<AppEnvObjectStatus>;
  readonly want: Partial<AppEnvObjectStatus>;
}

function base(over: Partial<AppEnvStatus>): AppEnvStatus {
  return { app: 'web', env: 'prod', revision: 'abc123456789abcdef', syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: 'in sync', namespace: 'web-prod', resources: [], ...over } as AppEnvStatus;
}

/** Fixture times: NOW and T0 stand for the mapping's time and an earlier one. */
function times<T>(v: T): T {
  return JSON.parse(JSON.stringify(v).replaceAll('"NOW"', JSON.stringify(NOW)).replaceAll('"T0"', JSON.stringify(T0))) as T;
}

describe('engine/appenv', () => {
  describe('appEnvStatus', () => {
    for (const c of parse(readFileSync(path.resolve('test/fixtures/engine/appenv/status.yaml'), 'utf8')) as Case[]) {
      it(c.name, () => {
        const previous = c.previous ? (times({ conditions: [], ...c.previous }) as AppEnvObjectStatus) : undefined;
        const got = appEnvStatus(base(c.status), 3, previous, NOW);
        const want = times(c.want);
        for (const [k, v] of Object.entries(want)) {
          if (k === 'conditions') continue;
          assert.deepEqual(got[k as keyof AppEnvObjectStatus], v, k);
        }
        assert.deepEqual(got.conditions, (want.conditions ?? []).map((x) => ({ ...x, observedGeneration: 3 })));
        assert.equal(got.observedGeneration, 3);
      });
    }

    it('maps an unchanged status to an equal object (nothing to write)', () => {
      const s = base({ health: 'Degraded' });
      const first = appEnvStatus(s, 1, undefined, T0);
      assert.deepEqual(appEnvStatus(s, 1, first, NOW), first);
    });

    it('caps long messages', () => {
      const got = appEnvStatus(base({ syncStatus: 'Error', message: 'x'.repeat(10_000) }), 1, undefined, NOW);
      assert.equal(got.message.length, MAX_MESSAGE);
      assert.ok(got.conditions.every((c) => c.message.length <= MAX_MESSAGE));
    });
  });

  describe('appEnvName', () => {
    const cases: [string, string, RegExp | string][] = [
      ['web', 'prod', 'web-prod'],
      ['api.v2', 'stage', 'api.v2-stage'],
      ['Web_App', 'prod', /^web-app-prod-[0-9a-f]{8}$/],
      ['a'.repeat(250), 'prod', /^a{200}-[0-9a-f]{8}$/],
    ];
    for (const [app, env, want] of cases) {
      it(`${app.slice(0, 20)} × ${env}`, () => {
        const got = appEnvName(app, env);
        if (typeof want === 'string') assert.equal(got, want);
        else assert.match(got, want);
        assert.match(got, /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
      });
    }
    it('keeps pairs apart that sanitise alike', () => {
      assert.notEqual(appEnvName('Web', 'prod'), appEnvName('WEB', 'prod'));
    });
  });

  it('puts what git says in spec and labels, in the state namespace', () => {
    const o = appEnvSpecObject({ app: 'web', env: 'prod', cluster: 'east', namespace: 'web-prod' }, 'sluice-system');
    assert.deepEqual(o.metadata, { name: 'web-prod', namespace: 'sluice-system', labels: { 'sluice.dev/app': 'web', 'sluice.dev/env': 'prod', 'app.kubernetes.io/managed-by': 'sluice' } });
    assert.deepEqual(o.spec, { app: 'web', env: 'prod', cluster: 'east', namespace: 'web-prod' });
    assert.equal('status' in o, false);
  });
});
