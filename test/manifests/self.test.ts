/**
 * This repository is itself a config repo: sluice.yaml + manifests/sluice + environments/. Render
 * it with sluice's own engine for every environment and check what the install must guarantee.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { appEnvironments, parseConfig } from '../../src/config/index.js';
import { AppRenderer, subtree } from '../../src/engine/render.js';
import { appEnvironmentCrd } from '../../src/engine/appenv-crd.js';
import type { KubeObject } from '../../src/kube/types.js';

function repoFiles(root: string, dirs: string[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  for (const d of dirs) walk(join(root, d));
  out.set('sluice.yaml', readFileSync(join(root, 'sluice.yaml')));
  return out;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

describe('manifests/sluice (sluice managing sluice)', () => {
  const files = repoFiles(process.cwd(), ['manifests', 'environments']);
  const config = parseConfig(new TextDecoder().decode(files.get('sluice.yaml')), 'sluice.yaml');
  const targets = appEnvironments(config);
  const renderer = new AppRenderer();

  it('declares sluice in dev, test, stage and prod', () => {
    assert.deepEqual(targets.map((t) => `${t.app}/${t.env}`), ['sluice/dev', 'sluice/test', 'sluice/stage', 'sluice/prod']);
  });

  for (const env of ['dev', 'test', 'stage', 'prod']) {
    it(`renders a least-privilege, non-root install for ${env}`, () => {
      const target = targets.find((t) => t.env === env);
      assert.ok(target);
      const out = renderer.render(target, files, subtree(files, target.chartPath));
      assert.ok(out.ok, out.ok ? '' : out.error.message);
      const byKind = new Map<string, KubeObject[]>();
      for (const o of out.objects) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
      for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Deployment', 'Service']) assert.ok(byKind.has(kind), `${kind} rendered`);

      const rules = (byKind.get('ClusterRole')?.[0].rules ?? []) as Rule[];
      for (const r of rules) {
        assert.ok(!r.verbs.includes('*'), 'no wildcard verbs');
        assert.ok(!(r.resources ?? []).includes('*'), 'no wildcard resources');
        assert.ok(!(r.apiGroups ?? []).includes('*'), 'no wildcard groups');
      }
      // The build runner's Role: Jobs, pods and their logs in the build namespace, no Secrets.
      const buildRole = (byKind.get('Role') ?? []).find((o) => o.metadata.name?.endsWith('-builds'));
      assert.equal(buildRole?.metadata.namespace, 'sluice-builds');
      const buildRules = (buildRole?.rules ?? []) as Rule[];
      const grants = (res: string, verb: string) => buildRules.some((r) => (r.resources ?? []).includes(res) && r.verbs.includes(verb));
      assert.ok(grants('jobs', 'create') && grants('pods', 'list') && grants('pods/log', 'get'));
      assert.ok(!buildRules.some((r) => (r.resources ?? []).includes('secrets')), 'the build runner reads no Secrets');
      // The AppEnvironment CRD is the controller's own definition; sluice's rights on it stay in the state namespace.
      // A CRD is cluster-wide and all four envs share a cluster: prod's install owns it, alone.
      const crd = byKind.get('CustomResourceDefinition')?.find((o) => o.metadata.name === 'appenvironments.sluice.dev');
      if (env === 'prod') assert.deepEqual(crd?.spec, appEnvironmentCrd().spec, 'the chart installs the CRD of src/engine/appenv-crd.ts');
      else assert.equal(crd, undefined, `${env} leaves the CRD to prod`);
      const stateRole = (byKind.get('Role') ?? []).find((o) => o.metadata.name?.endsWith('-state'));
      const stateRules = (stateRole?.rules ?? []) as Rule[];
      for (const res of ['appenvironments', 'appenvironments/status']) {
        assert.ok(stateRules.some((r) => (r.apiGroups ?? []).includes('sluice.dev') && (r.resources ?? []).includes(res) && r.verbs.includes('patch')), `state Role grants ${res}`);
      }
      assert.ok(!rules.some((r) => (r.apiGroups ?? []).includes('sluice.dev')), 'no cluster-wide right on sluice.dev kinds');
      const dep = byKind.get('Deployment')?.[0] as KubeObject & { spec: { template: { spec: Record<string, unknown> } } };
      const pod = dep.spec.template.spec as { securityContext: { runAsNonRoot: boolean }; containers: Record<string, unknown>[] };
      assert.equal(pod.securityContext.runAsNonRoot, true);
      const c = pod.containers[0] as { args: string[]; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } }; securityContext: { allowPrivilegeEscalation: boolean } };
      assert.equal(c.args[0], 'controller');
      assert.equal(c.livenessProbe.httpGet.path, '/healthz');
      assert.equal(c.readinessProbe.httpGet.path, '/readyz');
      assert.equal(c.securityContext.allowPrivilegeEscalation, false);
      // API tokens come from a mounted Secret, never from the chart's values.
      const vars = (c as unknown as { env: { name: string; value?: string }[] }).env;
      assert.equal(vars.find((e) => e.name === 'SLUICE_API_TOKENS_DIR')?.value, '/etc/sluice/api-tokens');
      assert.ok(!vars.some((e) => e.name === 'SLUICE_API_TOKEN'), 'no token in the pod spec');
      // Leader election: the pod's name for its identity, and get/create/update on Leases in the state namespace.
      assert.deepEqual((c as unknown as { env: { name: string; valueFrom?: unknown }[] }).env.find((e) => e.name === 'POD_NAME')?.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
      const replicas = (dep.spec as unknown as { replicas: number }).replicas;
      assert.equal(c.args.includes('--leader-elect'), replicas > 1, `--leader-elect with ${replicas} replicas`);
      const leaseRules = stateRules.filter((r) => (r.resources ?? []).includes('leases'));
      assert.deepEqual(leaseRules.map((r) => [r.apiGroups, r.verbs]), [[['coordination.k8s.io'], ['get', 'create', 'update']]]);
      const clusterScopedNames = [...(byKind.get('ClusterRole') ?? []), ...(byKind.get('ClusterRoleBinding') ?? [])].map((o) => o.metadata.name);
      assert.ok(clusterScopedNames.every((n) => n?.endsWith(target.namespace)), 'cluster-scoped names are unique per env');
    });
  }

  it('runs two replicas with leader election when replicaCount is 2', () => {
    const target = targets.find((t) => t.env === 'prod');
    assert.ok(target);
    const two = new Map(files);
    const valuesPath = [...two.keys()].find((k) => k === 'environments/prod/sluice/values.yaml');
    assert.ok(valuesPath);
    two.set(valuesPath, new TextEncoder().encode(new TextDecoder().decode(two.get(valuesPath)).replace(/^replicaCount: 1$/m, 'replicaCount: 2')));
    const out = renderer.render(target, two, subtree(two, target.chartPath));
    assert.ok(out.ok, out.ok ? '' : out.error.message);
    const dep = out.objects.find((o) => o.kind === 'Deployment') as KubeObject & { spec: { replicas: number; template: { spec: { containers: { args: string[] }[] } } } };
    assert.equal(dep.spec.replicas, 2);
    const args = dep.spec.template.spec.containers[0].args;
    assert.deepEqual(args.filter((a) => a.startsWith('--leader-elect')), ['--leader-elect', '--leader-elect-lease-duration=15s', '--leader-elect-renew-deadline=10s', '--leader-elect-retry-period=2s']);
  });
});
