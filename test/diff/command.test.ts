import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled CLI next to this compiled test (works from dist/ and from any --outDir). */
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const FIX = 'test/fixtures/diff';

function sluice(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/commands/diff', () => {
  it('exits 0 and prints nothing when in sync', () => {
    const r = sluice('diff', '--desired', `${FIX}/server-defaults-config.yaml`, '--live', `${FIX}/server-defaults-live.yaml`);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 and prints the unified diff when drifted', () => {
    const r = sluice('diff', '--desired', `${FIX}/kubectl-edit-config.yaml`, '--live', `${FIX}/kubectl-edit-live.yaml`);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, readFileSync(`${FIX}/kubectl-edit-unified.diff`, 'utf8'));
  });

  it('reads multi-document YAML against a JSON List and prints only drifted objects, masked', () => {
    const r = sluice('diff', '--desired', `${FIX}/cli-desired.yaml`, '--live', `${FIX}/cli-live.json`);
    assert.equal(r.code, 1);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('--- '));
    assert.deepEqual(headers, ['--- live/Service/shop/web', '--- live/Secret/shop/db']);
    for (const secret of ['hunter2-prod', 's3cr3t-old', 'tok-9f8e7d', 'ak-live-0451', Buffer.from('tok-9f8e7d').toString('base64')]) {
      assert.ok(!r.stdout.includes(secret), `${secret} leaked`);
    }
  });

  it('honours --ignore rules', () => {
    const args = ['diff', '--desired', `${FIX}/targetport-config.yaml`, '--live', `${FIX}/targetport-live.yaml`];
    assert.equal(sluice(...args).code, 1);
    assert.deepEqual(sluice(...args, '--ignore', '/Service:/spec/ports/0/targetPort'), { code: 0, stdout: '', stderr: '' });
  });

  it('exits 2 with file:line on a bad file', () => {
    const r = sluice('diff', '--desired', `${FIX}/cli-bad.yaml`, '--live', `${FIX}/cli-live.json`);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `sluice diff: ${FIX}/cli-bad.yaml:7: Map keys must be unique\n`);
  });

  it('exits 2 on a missing file or missing flags', () => {
    const r = sluice('diff', '--desired', `${FIX}/nope.yaml`, '--live', `${FIX}/cli-live.json`);
    assert.deepEqual([r.code, r.stderr], [2, `sluice diff: ${FIX}/nope.yaml: no such file\n`]);
    const u = sluice('diff', '--desired', `${FIX}/cli-desired.yaml`);
    assert.equal(u.code, 2);
    assert.ok(u.stderr.startsWith('sluice diff: APP and ENV, or --desired and --live, are required'));
  });
});
