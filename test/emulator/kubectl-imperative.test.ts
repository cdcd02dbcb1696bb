/**
 * kubectl's imperative commands against the emulator, with the real kubectl 1.34: the creates
 * send protobuf bodies and ask for protobuf answers, so each command here goes through the
 * emulator's protobuf codec; every object is read back with `-o json` and checked field by field.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type RequestLogEntry } from '../../src/emulator/index.js';
import { kubectlSession, type KubectlSession } from '../support/kubectl-session.js';

interface Container { name: string; image: string; command?: string[]; ports?: { containerPort: number; protocol: string }[] }
interface Workload {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: { replicas?: number; schedule?: string; selector?: { matchLabels?: Record<string, string> }; template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Container[]; restartPolicy?: string } }; jobTemplate?: { spec: { template: { spec: { containers: Container[]; restartPolicy?: string } } } } };
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

describe('emulator/kubectl imperative commands', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let k: KubectlSession;
  let dir: string;
  const requests: RequestLogEntry[] = [];

  before(async () => {
    emu = await startEmulator({ simulateKubelet: true, kubeletTickMs: 50 });
    dir = mkdtempSync(join(tmpdir(), 'sluice-imperative-'));
    await emu.writeKubeconfig(join(dir, 'kubeconfig'));
    k = kubectlSession(join(dir, 'kubeconfig'));
    emu.onRequest((e) => requests.push(e));
  });
  after(() => emu.close());

  /** The create requests since `from`, with the media type of their bodies. */
  const creates = (from: number) => requests.slice(from).filter((r) => r.verb === 'create').map((r) => `${r.resource} ${r.contentType}`);

  it('create namespace (a protobuf body) and refuses it twice with AlreadyExists', async () => {
    const from = requests.length;
    assert.equal(await k.ok('create', 'namespace', 'team-a'), 'namespace/team-a created\n');
    assert.deepEqual(creates(from), [`namespaces ${PROTOBUF}`]);
    const ns = await k.json<{ metadata: { name: string; labels: Record<string, string> } }>('get', 'namespace', 'team-a');
    assert.equal(ns.metadata.name, 'team-a');
    assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
    // The error comes back as a protobuf Status, which kubectl must read.
    const again = await k.run('create', 'namespace', 'team-a');
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): namespaces "team-a" already exists\n');
  });

  it('create configmap --from-literal', async () => {
    await k.ok('create', 'configmap', 'settings', '-n', 'team-a', '--from-literal=color=blue', '--from-literal=size=3', '--from-literal=empty=');
    const cm = await k.json<{ data: Record<string, string> }>('get', 'configmap', 'settings', '-n', 'team-a');
    assert.deepEqual(cm.data, { color: 'blue', empty: '', size: '3' });
  });

  it('create secret generic, text and binary values base64 in data', async () => {
    const file = join(dir, 'key.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 0xfe, 0xff]));
    await k.ok('create', 'secret', 'generic', 'creds', '-n', 'team-a', '--from-literal=password=s3cr=t!', `--from-file=key=${file}`);
    const s = await k.json<{ type: string; data: Record<string, string> }>('get', 'secret', 'creds', '-n', 'team-a');
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { key: 'AAEC/v8=', password: Buffer.from('s3cr=t!').toString('base64') });
  });

  it('create serviceaccount', async () => {
    await k.ok('create', 'serviceaccount', 'robot', '-n', 'team-a');
    const sa = await k.json<{ kind: string; metadata: { name: string; namespace: string } }>('get', 'serviceaccount', 'robot', '-n', 'team-a');
    assert.deepEqual([sa.kind, sa.metadata.name, sa.metadata.namespace], ['ServiceAccount', 'robot', 'team-a']);
  });

  it('create deployment --image --replicas --port', async () => {
    const from = requests.length;
    assert.equal(await k.ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=8080'), 'deployment.apps/web created\n');
    assert.deepEqual(creates(from), [`deployments ${PROTOBUF}`]);
    const d = await k.json<Workload>('get', 'deployment', 'web');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(d.spec.template.metadata?.labels, { app: 'web' });
    const [c] = d.spec.template.spec.containers;
    assert.deepEqual([c.name, c.image, c.ports], ['nginx', 'nginx:1.27', [{ containerPort: 8080, protocol: 'TCP' }]]);
    assert.match(await k.ok('rollout', 'status', 'deployment/web', '--timeout=20s'), /successfully rolled out/);
  });

  it('create job with a command', async () => {
    await k.ok('create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'exit 0');
    const j = await k.json<Workload>('get', 'job', 'once');
    const [c] = j.spec.template.spec.containers;
    assert.deepEqual([c.name, c.image, c.command, j.spec.template.spec.restartPolicy], ['once', 'busybox', ['sh', '-c', 'exit 0'], 'Never']);
  });

  it('create cronjob --schedule, then create job --from=cronjob', async () => {
    await k.ok('create', 'cronjob', 'nightly', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date');
    const cj = await k.json<Workload>('get', 'cronjob', 'nightly');
    assert.equal(cj.spec.schedule, '*/5 * * * *');
    const tpl = cj.spec.jobTemplate?.spec.template.spec;
    assert.deepEqual([tpl?.containers[0].image, tpl?.containers[0].command, tpl?.restartPolicy], ['busybox', ['date'], 'OnFailure']);
    // kubectl reads the CronJob (a protobuf answer) and sends the Job built from its template.
    assert.equal(await k.ok('create', 'job', 'nightly-manual', '--from=cronjob/nightly'), 'job.batch/nightly-manual created\n');
    const j = await k.json<Workload>('get', 'job', 'nightly-manual');
    assert.deepEqual(j.metadata.annotations, { 'cronjob.kubernetes.io/instantiate': 'manual' });
    assert.deepEqual(j.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.controller]), [['CronJob', 'nightly', true]]);
    assert.deepEqual(j.spec.template.spec.containers.map((c) => [c.name, c.image, c.command]), [['nightly', 'busybox', ['date']]]);
  });

  it('run a pod with labels and a port', async () => {
    assert.equal(await k.ok('run', 'probe', '--image=nginx:1.27', '--port=80', '--labels=app=probe,tier=test'), 'pod/probe created\n');
    const p = await k.json<{ metadata: { labels: Record<string, string> }; spec: { containers: Container[] } }>('get', 'pod', 'probe');
    assert.deepEqual(p.metadata.labels, { app: 'probe', tier: 'test' });
    assert.deepEqual(p.spec.containers.map((c) => [c.name, c.image, c.ports]), [['probe', 'nginx:1.27', [{ containerPort: 80, protocol: 'TCP' }]]]);
  });

  it('expose deployment: the service takes its selector and the ports asked for', async () => {
    await k.ok('create', 'deployment', 'api', '--image=nginx:1.27', '--port=8080');
    assert.equal(await k.ok('expose', 'deployment', 'api', '--port=80', '--target-port=8080', '--name=api'), 'service/api exposed\n');
    const svc = await k.json<{ spec: { selector: Record<string, string>; ports: unknown[]; type: string } }>('get', 'service', 'api');
    assert.deepEqual(svc.spec.selector, { app: 'api' });
    assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
    assert.equal(svc.spec.type, 'ClusterIP');
  });

  it('scale, set image, label, annotate and rollout restart a deployment', async () => {
    await k.ok('create', 'deployment', 'shop', '--image=nginx:1.26', '--replicas=1');
    assert.equal(await k.ok('scale', 'deployment/shop', '--replicas=3'), 'deployment.apps/shop scaled\n');
    assert.equal(await k.ok('set', 'image', 'deployment/shop', 'nginx=nginx:1.27'), 'deployment.apps/shop image updated\n');
    assert.equal(await k.ok('label', 'deployment', 'shop', 'tier=frontend'), 'deployment.apps/shop labeled\n');
    assert.equal(await k.ok('annotate', 'deployment', 'shop', 'owner=team-a'), 'deployment.apps/shop annotated\n');
    assert.equal(await k.ok('rollout', 'restart', 'deployment/shop'), 'deployment.apps/shop restarted\n');
    const d = await k.json<Workload>('get', 'deployment', 'shop');
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.deepEqual(d.metadata.labels, { app: 'shop', tier: 'frontend' });
    assert.equal(d.metadata.annotations?.owner, 'team-a');
    assert.match(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  // The other create subcommands, each read back with a jsonpath over what it set.
  const others: { create: string[]; get: string[]; path: string; want: string }[] = [
    { create: ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=web'], get: ['role', 'reader'], path: '{.rules}', want: '[{"apiGroups":[""],"resourceNames":["web"],"resources":["pods"],"verbs":["get","list"]},{"apiGroups":["apps"],"resourceNames":["web"],"resources":["deployments"],"verbs":["get","list"]}]' },
    { create: ['create', 'rolebinding', 'read', '--role=reader', '--user=alice', '--serviceaccount=team-a:robot'], get: ['rolebinding', 'read'], path: '{.roleRef.kind}/{.roleRef.name} {.subjects[*].kind} {.subjects[1].namespace}', want: 'Role/reader User ServiceAccount team-a' },
    { create: ['create', 'clusterrole', 'health', '--verb=get', '--non-resource-url=/healthz'], get: ['clusterrole', 'health'], path: '{.rules}', want: '[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]' },
    { create: ['create', 'clusterrolebinding', 'admins', '--clusterrole=cluster-admin', '--user=root'], get: ['clusterrolebinding', 'admins'], path: '{.roleRef.name} {.subjects[0].name}', want: 'cluster-admin root' },
    { create: ['create', 'ingress', 'shop', '--class=nginx', '--rule=shop.example.com/api*=api:8080,tls=shop-tls'], get: ['ingress', 'shop'], path: '{.spec}', want: '{"ingressClassName":"nginx","rules":[{"host":"shop.example.com","http":{"paths":[{"backend":{"service":{"name":"api","port":{"number":8080}}},"path":"/api","pathType":"Prefix"}]}}],"tls":[{"hosts":["shop.example.com"],"secretName":"shop-tls"}]}' },
    { create: ['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=50%'], get: ['pdb', 'web'], path: '{.spec}', want: '{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}}' },
    { create: ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'], get: ['priorityclass', 'high'], path: '{.value} {.description} {.preemptionPolicy}', want: '1000 important Never' },
    { create: ['create', 'quota', 'small', '--hard=cpu=2,memory=1Gi,pods=10', '--scopes=NotTerminating'], get: ['quota', 'small'], path: '{.spec}', want: '{"hard":{"cpu":"2","memory":"1Gi","pods":"10"},"scopes":["NotTerminating"]}' },
    { create: ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'], get: ['service', 'np'], path: '{.spec.type} {.spec.ports}', want: 'NodePort [{"name":"80-8080","nodePort":30080,"port":80,"protocol":"TCP","targetPort":8080}]' },
    { create: ['create', 'service', 'externalname', 'ext', '--external-name=example.com'], get: ['service', 'ext'], path: '{.spec.type} {.spec.externalName}', want: 'ExternalName example.com' },
    { create: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p'], get: ['secret', 'reg'], path: '{.type} {.data.\\.dockerconfigjson}', want: `kubernetes.io/dockerconfigjson ${Buffer.from('{"auths":{"r.example.com":{"username":"u","password":"p","auth":"dTpw"}}}').toString('base64')}` },
    { create: ['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu=80%'], get: ['hpa', 'web'], path: '{.apiVersion} {.spec}', want: 'autoscaling/v2 {"maxReplicas":3,"metrics":[{"resource":{"name":"cpu","target":{"averageUtilization":80,"type":"Utilization"}},"type":"Resource"}],"minReplicas":1,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}}' },
  ];
  for (const o of others) {
    it(`kubectl ${o.create.filter((a) => !a.startsWith('-')).slice(0, 3).join(' ')}`, async () => {
      const from = requests.length;
      await k.ok(...o.create);
      assert.deepEqual(creates(from).map((c) => c.split(' ')[1]), [PROTOBUF]);
      assert.equal(await k.ok('get', ...o.get, '-o', `jsonpath=${o.path}`), o.want);
    });
  }

  // kubectl prints the create's answer, which came back in protobuf: it must read as the JSON `get` answers.
  const echoes: { create: string[]; get: string[] }[] = [
    { create: ['create', 'configmap', 'echo', '--from-literal=a=1'], get: ['configmap', 'echo'] },
    { create: ['create', 'secret', 'generic', 'echo', '--from-literal=a=1'], get: ['secret', 'echo'] },
    { create: ['create', 'service', 'clusterip', 'echo', '--tcp=80:8080'], get: ['service', 'echo'] },
    { create: ['create', 'role', 'echo', '--verb=get', '--resource=pods'], get: ['role', 'echo'] },
    { create: ['create', 'cronjob', 'echo', '--image=busybox', '--schedule=0 * * * *', '--', 'date'], get: ['cronjob', 'echo'] },
  ];
  for (const e of echoes) {
    it(`prints the answer of kubectl ${e.create.slice(0, 2).join(' ')} -o json as get does`, async () => {
      const dash = e.create.indexOf('--');
      const args = dash < 0 ? [...e.create, '-o', 'json'] : [...e.create.slice(0, dash), '-o', 'json', ...e.create.slice(dash)];
      const created = JSON.parse(await k.ok(...args)) as unknown;
      assert.deepEqual(created, await k.json('get', ...e.get));
    });
  }

  it('delete what it created', async () => {
    await k.ok('create', 'configmap', 'doomed', '--from-literal=a=b');
    assert.match(await k.ok('delete', 'configmap', 'doomed'), /configmap "doomed" deleted/);
    assert.match((await k.run('get', 'configmap', 'doomed')).stderr, /configmaps "doomed" not found/);
  });
});
