/**
 * Validation as the real kubectl 1.34 sees it against the emulator: the server's 422 for an
 * invalid Deployment, `--validate=strict` (kubectl's default) refusing an unknown field with the
 * server's strict decoding error, `--validate=warn` printing the server's warning,
 * `--validate=false` passing, `kubectl explain` for a built-in kind and a CRD, and custom
 * resources refused or pruned by their CRD's schema.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kubectlPath } from '../support/tools.js';

const exec = promisify(execFile);
const fixture = (name: string) => resolve('test/fixtures/emulator/validation/kubectl', name);

interface Result { code: number; stdout: string; stderr: string }

describe('emulator/kubectl-validation', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let kubeconfig: string;
  let home: string;

  async function kubectl(...args: string[]): Promise<Result> {
    try {
      // A home of its own: kubectl's discovery and OpenAPI caches must not outlive this emulator.
      const { stdout, stderr } = await exec(kubectlPath(), ['--kubeconfig', kubeconfig, '-n', 'default', ...args], { env: { ...process.env, HOME: home } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  before(async () => {
    emu = await startEmulator({});
    const dir = mkdtempSync(join(tmpdir(), 'sluice-validation-'));
    kubeconfig = join(dir, 'kubeconfig');
    home = dir;
    await emu.writeKubeconfig(kubeconfig);
    const crd = await kubectl('apply', '-f', resolve('test/fixtures/emulator/validation/crd-gadget.yaml'));
    assert.equal(crd.code, 0, crd.stderr);
  });
  after(() => emu.close());

  it('kubectl apply of an invalid Deployment shows the server\'s 422', async () => {
    const r = await kubectl('apply', '-f', fixture('deployment-no-image.yaml'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Deployment "noimage" is invalid: spec\.template\.spec\.containers\[0\]\.image: Required value/);
    assert.equal((await kubectl('get', 'deploy', 'noimage')).code, 1, 'the invalid Deployment was stored');
  });

  it('kubectl apply of a selector that does not match its template is refused', async () => {
    const r = await kubectl('apply', '-f', fixture('deployment-selector-mismatch.yaml'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Deployment "mismatch" is invalid: spec\.template\.metadata\.labels: Invalid value: \{"app":"web"\}: `selector` does not match template `labels`/);
  });

  it('kubectl apply of a value of the wrong type shows the server\'s decoding error', async () => {
    const r = await kubectl('apply', '-f', fixture('deployment-wrong-type.yaml'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(BadRequest\): error when creating ".*deployment-wrong-type\.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32/);
  });

  it('--validate=strict (the default) refuses an unknown field with the server\'s strict decoding error', async () => {
    for (const args of [['apply'], ['create'], ['apply', '--server-side']]) {
      const r = await kubectl(...args, '-f', fixture('deployment-unknown-field.yaml'));
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} stored an unknown field`);
      if (args.includes('--server-side')) assert.match(r.stderr, /\.spec\.replica: field not declared in schema/);
      else assert.match(r.stderr, /Error from server \(BadRequest\): error when creating ".*deployment-unknown-field\.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.replica"/);
    }
  });

  it('--validate=warn prints the server\'s warning and stores the object without the field', async () => {
    const r = await kubectl('apply', '--validate=warn', '-f', fixture('deployment-unknown-field.yaml'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: unknown field "spec\.replica"/);
    const live = JSON.parse((await kubectl('get', 'deploy', 'typo', '-o', 'json')).stdout) as { spec: Record<string, unknown> };
    assert.equal(live.spec.replica, undefined);
    assert.equal(live.spec.replicas, 1);
  });

  it('--validate=false passes, silently dropping the field', async () => {
    assert.equal((await kubectl('delete', 'deploy', 'typo')).code, 0);
    const r = await kubectl('apply', '--validate=false', '-f', fixture('deployment-unknown-field.yaml'));
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/i);
    const live = JSON.parse((await kubectl('get', 'deploy', 'typo', '-o', 'json')).stdout) as { spec: Record<string, unknown> };
    assert.equal(live.spec.replica, undefined);
  });

  it('kubectl explain shows the built-in schema', async () => {
    const r = await kubectl('explain', 'deployment.spec.replicas');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Deployment/);
    assert.match(r.stdout, /FIELD: replicas <integer>/);
    assert.match(r.stdout, /Number of desired pods/);
    const containers = await kubectl('explain', 'pod.spec.containers');
    assert.match(containers.stdout, /name\s+<string> -required-/);
  });

  it('kubectl explain shows a CRD\'s schema', async () => {
    const r = await kubectl('explain', 'gadget.spec');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Gadget/);
    assert.match(r.stdout, /size\s+<integer> -required-/);
    assert.match(r.stdout, /How big the gadget is/);
  });

  it('a custom resource refused by its CRD schema shows the server\'s 422', async () => {
    const r = await kubectl('apply', '-f', fixture('gadget-invalid.yaml'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Gadget "huge" is invalid: spec\.size: Invalid value: 11: spec\.size in body should be less than or equal to 10/);
  });

  it('a custom resource is pruned of a field its schema does not have, and defaulted', async () => {
    const strict = await kubectl('apply', '-f', fixture('gadget-extra-field.yaml'));
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /strict decoding error: unknown field "spec\.shape"/);
    const r = await kubectl('apply', '--validate=false', '-f', fixture('gadget-extra-field.yaml'));
    assert.equal(r.code, 0, r.stderr);
    const live = JSON.parse((await kubectl('get', 'gadget', 'small', '-o', 'json')).stdout) as { spec: Record<string, unknown> };
    assert.deepEqual(live.spec, { size: 2, color: 'red' });
  });
});
