import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function sluice(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/commands/health', () => {
  it('prints KIND/NAME<TAB>STATUS<TAB>MESSAGE per object', () => {
    const r = sluice('health', '-f', 'test/fixtures/health/deployment-degraded.yaml', '-f', 'test/fixtures/health/service-healthy.yaml');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Deployment/web\tDegraded\tDeployment "web" exceeded its progress deadline\nService/web\tHealthy\t\n');
  });

  it('reads every object of a multi-document file and of a JSON List', () => {
    const r = sluice('health', '-f', 'test/fixtures/diff/cli-desired.yaml', '--file', 'test/fixtures/diff/cli-live.json');
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => l.split('\t').slice(0, 2).join(' ')), [
      'Deployment/web Progressing',
      'Service/web Healthy',
      'Secret/db Healthy',
      'Deployment/web Healthy',
      'Service/web Healthy',
      'Secret/db Healthy',
    ]);
  });

  it('exits 2 with file:line on a bad file', () => {
    const r = sluice('health', '-f', 'test/fixtures/diff/cli-bad.yaml');
    assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', 'sluice health: test/fixtures/diff/cli-bad.yaml:7: Map keys must be unique\n']);
  });

  it('exits 2 without a file', () => {
    assert.equal(sluice('health').code, 2);
  });
});
