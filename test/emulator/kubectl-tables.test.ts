/**
 * What the real kubectl 1.34 prints against the emulator: the columns and cells of server-side
 * Tables for the common kinds (and -o wide, -A, -w), a custom resource's printer columns,
 * `get all` through discovery categories, `api-resources -o wide`, and pod logs (`--tail`, `-l`,
 * `-f` until the pod goes). kubectl must print no warning.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kubectlPath } from '../support/tools.js';

const exec = promisify(execFile);
const fixture = (name: string) => resolve('test/fixtures/emulator/tables', name);

/** The words of a table's header line (kubectl pads columns with spaces; multi-word headers keep one space). */
const header = (out: string) => out.split('\n')[0].trim().split(/\s{2,}/);
/** The first row with a cell `name`, split into cells. */
function row(out: string, name: string): string[] {
  const line = out.split('\n').find((l) => l.trim().split(/\s{2,}/).includes(name));
  assert.ok(line, `no row ${name} in:\n${out}`);
  return line.trim().split(/\s{2,}/);
}
const AGE = /^\d+s$/;

describe('emulator/kubectl-tables', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let kubeconfig: string;

  async function ok(...args: string[]): Promise<string> {
    const { stdout, stderr } = await exec(kubectlPath(), ['--kubeconfig', kubeconfig, ...args]).catch((e: { stderr?: string }) => {
      throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr ?? String(e)}`);
    });
    assert.doesNotMatch(stderr, /warning/i, `kubectl ${args.join(' ')} warned: ${stderr}`);
    return stdout;
  }
  const get = (...args: string[]) => ok('get', '-n', 'tables', ...args);
  // Through apply (JSON), not `kubectl create configmap` (protobuf bodies are another matter).
  async function createConfigMap(name: string): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tables-cm-'));
    const file = join(dir, 'cm.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'tables' }, data: { k: 'v' } }));
    await ok('apply', '-f', file);
  }

  before(async () => {
    emu = await startEmulator({ simulateKubelet: true, kubeletTickMs: 50 });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-tables-')), 'kubeconfig');
    await emu.writeKubeconfig(kubeconfig);
    await ok('apply', '-f', fixture('kubectl-objects.yaml'));
    await ok('apply', '-f', fixture('crd-gadget.yaml'));
    await ok('apply', '-f', fixture('gadget-g1.yaml'));
    await ok('rollout', 'status', '-n', 'tables', 'deployment/web', '--timeout=20s');
    await ok('wait', '-n', 'tables', '--for=condition=Ready', 'pod/front', 'pod/worker', '--timeout=20s');
    await ok('wait', '-n', 'tables', '--for=condition=complete', 'job/migrate', '--timeout=20s');
  });
  after(() => emu.close());

  const cases: { args: string[]; columns: string[]; name: string; cells: (string | RegExp)[] }[] = [
    { args: ['deploy'], columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], name: 'web', cells: ['web', '2/2', '2', '2', AGE] },
    { args: ['deploy', '-o', 'wide'], columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'], name: 'web', cells: ['web', '2/2', '2', '2', AGE, 'nginx', 'nginx:1.27.3', 'app=web'] },
    { args: ['pods'], columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], name: 'front', cells: ['front', '1/1', 'Running', '0', AGE] },
    { args: ['pods'], columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], name: 'unpullable', cells: ['unpullable', '0/1', /^(ErrImagePull|ImagePullBackOff)$/, '0', AGE] },
    { args: ['pods', '-o', 'wide'], columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'], name: 'front', cells: ['front', '1/1', 'Running', '0', AGE, /^10\.244\.\d+\.\d+$/, /^(<none>|sluice-node(-\d)?)$/, '<none>', '<none>'] },
    { args: ['svc'], columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], name: 'web', cells: ['web', 'ClusterIP', /^10\.96\.\d+\.\d+$/, '<none>', '80/TCP', AGE] },
    { args: ['cm'], columns: ['NAME', 'DATA', 'AGE'], name: 'settings', cells: ['settings', '3', AGE] },
    { args: ['secrets'], columns: ['NAME', 'TYPE', 'DATA', 'AGE'], name: 'creds', cells: ['creds', 'Opaque', '2', AGE] },
    { args: ['jobs'], columns: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], name: 'migrate', cells: ['migrate', 'Complete', '1/1', AGE, AGE] },
    { args: ['cronjobs'], columns: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'], name: 'nightly', cells: ['nightly', '0 3 * * *', '<none>', 'False', '0', '<none>', AGE] },
    { args: ['leases'], columns: ['NAME', 'HOLDER', 'AGE'], name: 'sluice-leader', cells: ['sluice-leader', 'sluice-0', AGE] },
    { args: ['events'], columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], name: 'lease/sluice-leader', cells: [/^(\d+s|<unknown>)$/, 'Normal', 'LeaderElection', 'lease/sluice-leader', 'sluice-0 became leader'] },
    { args: ['gadgets'], columns: ['NAME', 'SIZE', 'PHASE', 'AGE'], name: 'g1', cells: ['g1', '7', 'Shiny', AGE] },
    { args: ['gd', '-o', 'wide'], columns: ['NAME', 'SIZE', 'PHASE', 'COLOR', 'AGE'], name: 'g1', cells: ['g1', '7', 'Shiny', 'teal', AGE] },
  ];
  for (const c of cases) {
    it(`get ${c.args.join(' ')}: ${c.columns.join(' ')} (${c.name})`, async () => {
      const out = await get(...c.args);
      assert.deepEqual(header(out), c.columns);
      const cells = row(out, c.name);
      assert.equal(cells.length, c.cells.length, out);
      c.cells.forEach((want, i) => (typeof want === 'string' ? assert.equal(cells[i], want, out) : assert.match(cells[i], want, out)));
    });
  }

  it('get ns, nodes and crd', async () => {
    const ns = await ok('get', 'ns');
    assert.deepEqual(header(ns), ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(row(ns, 'tables').slice(0, 2), ['tables', 'Active']);
    const nodes = await ok('get', 'nodes', '-o', 'wide');
    assert.deepEqual(header(nodes), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    assert.deepEqual(row(nodes, 'sluice-node').slice(0, 3), ['sluice-node', 'Ready', 'control-plane']);
    const crds = await ok('get', 'crd');
    assert.deepEqual(header(crds), ['NAME', 'CREATED AT']);
    assert.match(row(crds, 'gadgets.example.com')[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('get -A adds the namespace column', async () => {
    const out = await ok('get', 'deploy', '-A');
    assert.deepEqual(header(out), ['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.deepEqual(row(out, 'web').slice(0, 3), ['tables', 'web', '2/2']);
  });

  it('get all lists the kinds of the all category, custom resources included, in one namespace and in all', async () => {
    const out = await get('all');
    for (const name of ['pod/front', 'service/web', 'deployment.apps/web', 'job.batch/migrate', 'cronjob.batch/nightly', 'gadget.example.com/g1']) assert.ok(row(out, name), name);
    assert.doesNotMatch(out, /configmap|lease/);
    const all = await ok('get', 'all', '-A');
    assert.deepEqual(row(all, 'deployment.apps/web').slice(0, 3), ['tables', 'deployment.apps/web', '2/2']);
  });

  it('api-resources -o wide shows verbs and categories', async () => {
    const out = await ok('api-resources', '-o', 'wide');
    assert.deepEqual(header(out), ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
    assert.deepEqual(row(out, 'pods'), ['pods', 'po', 'v1', 'true', 'Pod', 'create,delete,deletecollection,get,list,patch,update,watch', 'all']);
    assert.deepEqual(row(out, 'namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace', 'create,delete,get,list,patch,update,watch']);
    assert.deepEqual(row(out, 'customresourcedefinitions').slice(-1), ['api-extensions']);
    assert.deepEqual(row(out, 'gadgets'), ['gadgets', 'gd', 'example.com/v1', 'true', 'Gadget', 'create,delete,deletecollection,get,list,patch,update,watch', 'all']);
  });

  it('get -w prints a row for each change', async () => {
    const child = spawn(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'cm', '-n', 'tables', '-w']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => /settings/.test(out));
      await createConfigMap('later');
      await until(() => /^later\s+1\s+\d+s$/m.test(out));
      assert.deepEqual(header(out), ['NAME', 'DATA', 'AGE']);
    } finally {
      child.kill();
    }
  });

  it('logs: a start-up naming the image, --tail, -l and --timestamps', async () => {
    const log = await ok('logs', '-n', 'tables', 'front');
    assert.match(log, /^\/docker-entrypoint\.sh: Configuration complete; ready for start up$/m);
    assert.match(log, /\[notice\] 1#1: nginx\/1\.27\.3$/m);
    const tail = await ok('logs', '-n', 'tables', 'worker', '--tail=1', '--timestamps');
    assert.match(tail, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S.*\n$/);
    const both = await ok('logs', '-n', 'tables', '-l', 'app=front', '--prefix');
    assert.match(both, /^\[pod\/front\/nginx\] /m);
    assert.match(both, /^\[pod\/worker\/worker\] Starting worker 2\.1 \(image ghcr\.io\/acme\/worker:2\.1\)$/m);
  });

  it('logs -f stays open while the pod runs and ends when it is deleted', async () => {
    const child = spawn(kubectlPath(), ['--kubeconfig', kubeconfig, 'logs', '-f', '-n', 'tables', 'front']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => child.kill(), 20_000);
    try {
      await until(() => /start worker processes/.test(out));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(child.exitCode, null, `logs -f ended while the pod runs: ${out}${err}`);
      await ok('delete', 'pod', 'front', '-n', 'tables', '--wait=false');
      assert.equal(await exited, 0, err);
      assert.doesNotMatch(err, /warning/i);
    } finally {
      clearTimeout(timer);
      child.kill();
    }
  });
});

async function until(test: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
