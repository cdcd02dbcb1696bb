/**
 * Simulated container logs: what a container has written by a given time (no sleeping: the clock
 * is a parameter), the kubelet's selection options, and the errors of containers that never ran.
 */
import assert from 'node:assert/strict';
import { containerLog, LOG_INTERVAL_MS, logOptions, logTimestamp, renderLines, selectLines, type LogLine } from '../../src/emulator/logs.js';
import type { Obj } from '../../src/emulator/store.js';

const START = Date.parse('2026-01-01T00:00:00Z');

function pod(container: Record<string, unknown>, state: Record<string, unknown>, extra: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', ...container }] },
    status: { phase: 'Running', hostIP: '172.18.0.2', containerStatuses: [{ name: 'c', restartCount: 0, state, ...extra }] },
  } as unknown as Obj;
}

function lines(p: Obj, at: number, previous = false): LogLine[] {
  const r = containerLog(p, 'c', at, previous);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.lines;
}

const running = { running: { startedAt: '2026-01-01T00:00:00Z' } };

describe('emulator/logs', () => {
  it('starts nginx with its entrypoint and version, then one access line per interval', () => {
    const p = pod({ image: 'nginx:1.27.3' }, running);
    const at0 = lines(p, START);
    assert.equal(at0.length, 1, 'only what was written by the start time');
    const later = lines(p, START + 2 * LOG_INTERVAL_MS + 10);
    assert.match(later.map((l) => l.text).join('\n'), /nginx\/1\.27\.3/);
    const access = later.filter((l) => l.text.includes('"GET / HTTP/1.1"'));
    assert.deepEqual(access.map((l) => l.time), [START + LOG_INTERVAL_MS, START + 2 * LOG_INTERVAL_MS]);
    assert.match(access[0].text, /^172\.18\.0\.2 - - \[01\/Jan\/2026:00:00:05 \+0000\]/);
  });

  it('is the same log whenever it is read for the same time', () => {
    const p = pod({ image: 'ghcr.io/acme/api:2.0', ports: [{ containerPort: 9000 }] }, running);
    const at = START + 3 * LOG_INTERVAL_MS;
    assert.deepEqual(lines(p, at), lines(p, at));
    assert.deepEqual(lines(p, at).slice(0, 2).map((l) => l.text), ['Starting api 2.0 (image ghcr.io/acme/api:2.0)', 'Listening on :9000']);
  });

  it('prints the echoes of a shell script and nothing else', () => {
    const p = pod({ image: 'busybox', command: ['sh', '-c', 'echo "hello world"; sleep 3600; echo bye'] }, running);
    assert.deepEqual(lines(p, START + 60_000).map((l) => l.text), ['hello world', 'bye']);
  });

  it('ends a terminated container at its finish with its exit code', () => {
    const p = pod({ image: 'app:1' }, { terminated: { exitCode: 3, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:12Z' } });
    const got = lines(p, START + 3_600_000);
    assert.equal(got[got.length - 1].text, 'Exiting with code 3');
    assert.equal(got.filter((l) => l.text.includes('GET /healthz')).length, 2);
  });

  it('reads the previous instance, or says there is none', () => {
    const restarted = pod({ image: 'app:1' }, running, { restartCount: 1, lastState: { terminated: { exitCode: 1, startedAt: '2025-12-31T23:59:00Z', finishedAt: '2025-12-31T23:59:07Z' } } });
    const prev = lines(restarted, START, true);
    assert.equal(prev[prev.length - 1].text, 'Exiting with code 1');
    const fresh = containerLog(pod({ image: 'app:1' }, running), 'c', START, true);
    assert.deepEqual(fresh, { ok: false, status: 400, message: 'previous terminated container "c" in pod "p" not found' });
  });

  it('serves the last instance of a container waiting to restart', () => {
    const looping = pod({ image: 'app:1' }, { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3, lastState: { terminated: { exitCode: 2, startedAt: '2025-12-31T23:59:50Z', finishedAt: '2025-12-31T23:59:51Z' } } });
    const got = lines(looping, START);
    assert.equal(got[got.length - 1].text, 'Exiting with code 2');
  });

  it('refuses a container that is waiting to start', () => {
    const r = containerLog(pod({ image: 'registry.invalid/app:1' }, { waiting: { reason: 'ImagePullBackOff' } }), 'c', START);
    assert.deepEqual(r, { ok: false, status: 400, message: 'container "c" in pod "p" is waiting to start: trying and failing to pull image' });
    const creating = containerLog(pod({ image: 'app:1' }, { waiting: { reason: 'ContainerCreating' } }), 'c', START);
    assert.deepEqual(creating, { ok: false, status: 400, message: 'container "c" in pod "p" is waiting to start: ContainerCreating' });
  });

  describe('options', () => {
    const log: LogLine[] = [0, 5, 10, 15].map((s) => ({ time: START + s * 1000, text: `line ${s}` }));
    const cases: [string, string, string][] = [
      ['tailLines=2', 'tailLines=2', 'line 10\nline 15\n'],
      ['tailLines=0', 'tailLines=0', ''],
      ['sinceSeconds=6 at 15s', 'sinceSeconds=6', 'line 10\nline 15\n'],
      ['sinceTime', 'sinceTime=2026-01-01T00:00:05Z', 'line 5\nline 10\nline 15\n'],
      ['sinceSeconds then tail', 'sinceSeconds=11&tailLines=1', 'line 15\n'],
      ['timestamps', 'timestamps=true&tailLines=1', '2026-01-01T00:00:15.000000000Z line 15\n'],
    ];
    for (const [name, query, want] of cases) {
      it(name, () => {
        const opts = logOptions(new URLSearchParams(query));
        assert.equal(renderLines(selectLines(log, opts, START + 15_000), opts), want);
      });
    }
    it('stamps lines in RFC 3339 with nanoseconds', () => assert.equal(logTimestamp(START + 1), '2026-01-01T00:00:00.001000000Z'));
  });
});
