import assert from 'node:assert/strict';
import { formatDuration, formatTime, parseDuration, parseTime } from '../../../src/emulator/protobuf/wellknown.js';
import { ProtobufError } from '../../../src/emulator/protobuf/wire.js';

describe('emulator/protobuf/wellknown', () => {
  // Go's time.Duration.String() for the left, parsed back to the same nanoseconds.
  const durations: [string, number][] = [
    ['0s', 0],
    ['1ns', 1],
    ['1.5µs', 1500],
    ['500ms', 500e6],
    ['1.5s', 1.5e9],
    ['1m30s', 90e9],
    ['1h0m0s', 3600e9],
    ['26h3m4.005s', 26 * 3600e9 + 3 * 60e9 + 4.005e9],
    ['-2s', -2e9],
  ];
  for (const [text, nanos] of durations) {
    it(`formats and parses the duration ${text}`, () => {
      assert.equal(formatDuration(nanos), text);
      assert.equal(parseDuration(text), nanos);
    });
  }
  it('parses what Go accepts but does not print', () => {
    assert.equal(parseDuration('1h30m'), 5400e9);
    assert.equal(parseDuration('250us'), 250e3);
    assert.throws(() => parseDuration('soon'), ProtobufError);
  });

  const times: { text: string; seconds: number; nanos: number; micro: boolean; printed?: string }[] = [
    { text: '2026-01-02T03:04:05Z', seconds: 1767323045, nanos: 0, micro: false },
    { text: '2026-01-02T03:04:05.123456Z', seconds: 1767323045, nanos: 123456000, micro: true },
    { text: '2026-01-02T05:04:05+02:00', seconds: 1767323045, nanos: 0, micro: false, printed: '2026-01-02T03:04:05Z' },
    { text: '1970-01-01T00:00:00Z', seconds: 0, nanos: 0, micro: false },
  ];
  for (const t of times) {
    it(`reads ${t.text} and prints it in UTC`, () => {
      assert.deepEqual(parseTime(t.text), { seconds: t.seconds, nanos: t.nanos });
      assert.equal(formatTime(t.seconds, t.nanos, t.micro), t.printed ?? t.text);
    });
  }
  it('refuses a time that is not RFC 3339', () => {
    assert.throws(() => parseTime('2026-01-02 03:04:05'), ProtobufError);
  });
});
