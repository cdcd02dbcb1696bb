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

  // helm template's own form (NAME CHART) and --show-only, held to the real helm's output.
  const HELM_FORM: { name: string; args: string[] }[] = [
    { name: 'NAME CHART', args: [] },
    { name: 'one template', args: ['-s', 'templates/ordering.yaml'] },
    { name: 'two templates, in the order given, hooks too', args: ['--show-only', 'templates/service.yaml', '-s', 'templates/hooks.yaml'] },
    { name: 'a glob', args: ['-s', 'templates/*.yaml'] },
    { name: 'a character class', args: ['-s', 'templates/[cs]*.yaml', '--include-crds'] },
  ];
  for (const c of HELM_FORM) {
    it(`helm's form, ${c.name}: same text as helm template`, async () => {
      const dir = resolve('test/fixtures/charts/basic');
      const want = execFileSync(helmPath(3), ['template', 'rel', dir, '-n', 'ns', ...c.args], { encoding: 'utf8' });
      const got = await capture(['rel', dir, '-n', 'ns', ...c.args]);
      assert.equal(got.code, 0, got.err);
      const mask = (s: string): string => s.replace(/password: ".*"/, 'password: <random>').replace(/checksum\/config: \w+/, 'checksum/config: <hash>');
      assert.equal(mask(got.out), mask(want));
    });
  }

  it('fails like helm when --show-only matches no template', async () => {
    const dir = resolve('test/fixtures/charts/basic');
    let helmErr = '';
    try {
      execFileSync(helmPath(3), ['template', 'rel', dir, '-s', 'templates/nope.yaml'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      helmErr = String((err as { stderr?: unknown }).stderr);
    }
    const got = await capture(['rel', dir, '-s', 'templates/nope.yaml']);
    assert.equal(got.code, 1);
    assert.equal(got.err, helmErr);
    assert.equal(got.err, 'Error: could not find template templates/nope.yaml in chart\n');
  });

  it('refuses a release named twice, and no chart', async () => {
    await assert.rejects(capture(['rel', 'chart', '--release', 'other']), /either as NAME or as --release/);
    await assert.rejects(capture([]), /CHART_DIR is required/);
  });

  it('fails with a helm-like message', async () => {
    const got = await capture([resolve('test/fixtures/charts/basic'), '--set', 'replicaCount=abc']);
    assert.equal(got.code, 1);
    assert.match(got.err, /^Error: values don't meet the specifications of the schema\(s\) in the following chart\(s\):\nbasic:\n- replicaCount: Invalid type. Expected: integer, given: string\n/);
  });
});
