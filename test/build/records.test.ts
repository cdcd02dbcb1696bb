/** The kept build record: fixtures decode to the runner's state and back, bad ones say what is wrong, texts lose credentials. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BuildRecordError, decodeBuild, encodeBuild } from '../../src/build/records.js';

const fixture = (name: string) => readFileSync(resolve('test/fixtures/build', name), 'utf8').trim();

describe('build/records', () => {
  const good: [string, (s: ReturnType<typeof decodeBuild>) => void][] = [
    ['record-succeeded.json', (s) => {
      assert.equal(s.build.state, 'Succeeded');
      assert.equal(s.build.finishedAt?.toISOString(), '2026-11-23T04:13:30.000Z');
      assert.deepEqual(s.extras.bump, { state: 'committed', commit: '1'.repeat(40) });
    }],
    ['record-failed-bump.json', (s) => assert.deepEqual(s.extras.bump, { state: 'failed', error: 'push to https://git.example.com/shop/config.git refused', attempts: 3, nextAt: 1795410000000 })],
    ['record-queued.json', (s) => assert.deepEqual([s.build.state, s.build.branch, s.build.startedAt, s.extras.tags], ['Queued', 'feature/x', undefined, []])],
  ];
  for (const [name, check] of good) {
    it(`${name} decodes and encodes back to the same JSON`, () => {
      const s = decodeBuild(fixture(name));
      check(s);
      assert.deepEqual(JSON.parse(encodeBuild(s)), JSON.parse(fixture(name)));
    });
  }

  const bad: [string, RegExp][] = [
    ['record-bad-state.json', /unknown state "Exploded"/],
    ['record-bad-time.json', /queuedAt that is not a time/],
    ['record-bad-version.json', /unknown version 2/],
    ['record-truncated.json', /is not JSON/],
  ];
  for (const [name, problem] of bad) {
    it(`${name} is refused: ${problem.source}`, () => {
      assert.throws(() => decodeBuild(fixture(name)), (e: unknown) => e instanceof BuildRecordError && e.code === 'EBUILDRECORD' && problem.test(e.message));
    });
  }

  it('keeps no credentials of a URL in its texts', () => {
    const s = decodeBuild(fixture('record-failed-bump.json'));
    const withCreds = { build: { ...s.build, message: 'clone https://x-token:ghp_secret123@git.example.com/a.git failed' }, extras: { ...s.extras, bump: { state: 'failed' as const, error: 'push https://bot:hunter2@git.example.com/c.git refused' } } };
    const text = encodeBuild(withCreds);
    assert.doesNotMatch(text, /ghp_secret123|hunter2/);
    assert.match(text, /https:\/\/\*\*\*@git\.example\.com\/a\.git/);
  });
});
