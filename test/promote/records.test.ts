/** Kept promotion records and auto-promotion memory: fixtures round-trip, bad ones say what is wrong, no credentials kept. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeAutoMemory, decodePromotion, encodeAutoMemory, encodePromotion, PromotionRecordError } from '../../src/promote/records.js';

const fixture = (name: string) => readFileSync(resolve('test/fixtures/promote', name), 'utf8').trim();

describe('promote/records', () => {
  for (const name of ['record-direct.json', 'record-pull-request.json']) {
    it(`${name} decodes and encodes back to the same JSON`, () => {
      const r = decodePromotion(fixture(name));
      assert.equal('v' in r, false, 'the version stays in the stored form');
      assert.deepEqual(JSON.parse(encodePromotion(r)), JSON.parse(fixture(name)));
    });
  }

  const bad: [string, (json: string) => unknown, RegExp][] = [
    ['record-bad-mode.json', decodePromotion, /unknown mode "carrier-pigeon"/],
    ['record-no-id.json', decodePromotion, /no positive integer id/],
    ['auto-memory-bad-done.json', decodeAutoMemory, /no done list/],
  ];
  for (const [name, decode, problem] of bad) {
    it(`${name} is refused: ${problem.source}`, () => {
      assert.throws(() => decode(fixture(name)), (e: unknown) => e instanceof PromotionRecordError && e.code === 'EPROMOTIONRECORD' && problem.test(e.message));
    });
  }

  it('auto-memory.json decodes and encodes back', () => {
    const m = decodeAutoMemory(fixture('auto-memory.json'));
    assert.deepEqual(m, { app: 'web', to: 'prod', healthy: { from: 'stage', tag: '1.5.0', since: 1795400000000 }, done: ['1.4.0', '1.5.0'] });
    assert.deepEqual(JSON.parse(encodeAutoMemory(m)), JSON.parse(fixture('auto-memory.json')));
  });

  it('keeps no credentials of a URL in a note', () => {
    const r = { ...decodePromotion(fixture('record-direct.json')), note: 'open a pull request on https://bot:s3cret@git.example.com/c.git' };
    assert.doesNotMatch(encodePromotion(r), /s3cret/);
  });
});
