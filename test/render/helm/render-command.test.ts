/** `sluice render` prints exactly what `helm template` prints, and fails like it. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { command } from '../../../src/cli/commands/render.js';
import { helmPath } from '../../support/tools.js';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    const code = await command.run(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

const CASES: { name: string; chart: string; args: string[] }[] = [
  { name: 'legacy chart', chart: 'legacy', args: [] },
  { name: 'legacy chart with --set', chart: 'legacy', args: ['--set', 'child.enabled=false'] },
  { name: 'basic chart with CRDs and flags', chart: 'basic', args: ['--include-crds', '--set', 'ingress.enabled=true', '--kube-version', 'v1.30.1', '--api-versions', 'example.com/v1'] },
];

describe('render-command', function () {
  this.timeout(60_000);
  for (const c of CASES) {
    it(`${c.name}: same text as helm template`, async () => {
      const dir = resolve('test/fixtures/charts', c.chart);
      const want = execFileSync(helmPath(3), ['template', 'rel', dir, '-n', 'ns', ...c.args], { encoding: 'utf8' });
      const got = await capture([dir, '--release', 'rel', '--namespace', 'ns', ...c.args]);
      assert.equal(got.code, 0, got.err);
      // The basic chart draws a random password; everything else must match byte for byte.
      const mask = (s: string): string => s.replace(/password: ".*"/, 'password: <random>').replace(/checksum\/config: \w+/, 'checksum/config: <hash>');
      assert.equal(mask(got.out), mask(want));
    });
  }

  it('fails with a helm-like message', async () => {
    const got = await capture([resolve('test/fixtures/charts/basic'), '--set', 'replicaCount=abc']);
    assert.equal(got.code, 1);
    assert.match(got.err, /^Error: values don't meet the specifications of the schema\(s\) in the following chart\(s\):\nbasic:\n- replicaCount: Invalid type. Expected: integer, given: string\n/);
  });
});
