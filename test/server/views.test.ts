/** The pod log query of `GET …/pods/:pod/logs`: what is accepted and what is refused with a reason. */
import assert from 'node:assert/strict';
import { parsePodLogQuery } from '../../src/server/views.js';

describe('server/views', () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ['nothing', {}, {}],
    ['all three', { container: 'web', tailLines: '20', follow: 'true' }, { container: 'web', tailLines: 20, follow: true }],
    ['follow=false', { follow: 'false' }, {}],
    ['tailLines=0', { tailLines: '0' }, { tailLines: 0 }],
  ];
  for (const [name, q, want] of cases) it(`accepts ${name}`, () => assert.deepEqual(parsePodLogQuery(q), { ok: true, request: want }));
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['a negative tail', { tailLines: '-1' }, /tailLines/],
    ['a huge tail', { tailLines: '100001' }, /up to 100000/],
    ['follow=yes', { follow: 'yes' }, /follow/],
    ['a bad container name', { container: '../x' }, /container/],
    ['a repeated parameter', { container: ['a', 'b'] }, /once/],
    ['an unknown parameter', { since: '1h' }, /unknown parameter\(s\) since/],
  ];
  for (const [name, q, re] of refused) {
    it(`refuses ${name}`, () => {
      const r = parsePodLogQuery(q);
      assert.ok(!r.ok && re.test(r.error), JSON.stringify(r));
    });
  }
});
