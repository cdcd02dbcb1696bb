/**
 * Discovery: the aggregated documents (apidiscovery.k8s.io/v2) say what the legacy per-version
 * lists say; categories, short names and verbs are the API server's; a CRD's names are honoured.
 */
import assert from 'node:assert/strict';
import { aggregated, resourceList, wantsAggregated } from '../../src/emulator/discovery.js';
import { Registry } from '../../src/emulator/registry.js';

type J = Record<string, unknown>;

function legacyView(reg: Registry): string[] {
  const out: string[] = [];
  for (const [group, versions] of reg.groups()) {
    for (const v of versions) {
      const list = resourceList(reg, group, v) as { resources: J[] };
      for (const r of list.resources) out.push(`${group}/${v} ${String(r.name)} ${String(r.kind)} ${String(r.namespaced)} ${JSON.stringify(r.verbs)} ${JSON.stringify(r.shortNames ?? [])} ${JSON.stringify(r.categories ?? [])}`);
    }
  }
  return out.sort();
}

function aggregatedView(reg: Registry): string[] {
  const out: string[] = [];
  for (const legacy of [true, false]) {
    const doc = aggregated(reg, legacy) as { items: { metadata: { name?: string }; versions: { version: string; resources: J[] }[] }[] };
    for (const g of doc.items) {
      const group = g.metadata.name ?? '';
      for (const v of g.versions) {
        for (const r of v.resources) {
          const kind = (r.responseKind as J).kind;
          out.push(`${group}/${v.version} ${String(r.resource)} ${String(kind)} ${String(r.scope === 'Namespaced')} ${JSON.stringify(r.verbs)} ${JSON.stringify(r.shortNames ?? [])} ${JSON.stringify(r.categories ?? [])}`);
          for (const s of (r.subresources as J[] | undefined) ?? []) out.push(`${group}/${v.version} ${String(r.resource)}/${String(s.subresource)} ${String((s.responseKind as J).kind)} ${String(r.scope === 'Namespaced')} ${JSON.stringify(s.verbs)} [] []`);
        }
      }
    }
  }
  return out.sort();
}

const CRD = { spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', shortNames: ['wd'], categories: ['all', 'toys'] }, versions: [{ name: 'v1', served: true }] } };

describe('emulator/discovery', () => {
  it('aggregated discovery lists what the legacy documents list', () => {
    const reg = new Registry();
    reg.registerCrd(CRD);
    assert.deepEqual(aggregatedView(reg), legacyView(reg));
  });

  const cases: [string, string, string, string[], string[] | undefined][] = [
    ['', 'v1', 'pods', ['all'], ['po']],
    ['', 'v1', 'services', ['all'], ['svc']],
    ['apps', 'v1', 'deployments', ['all'], ['deploy']],
    ['batch', 'v1', 'cronjobs', ['all'], ['cj']],
    ['autoscaling', 'v2', 'horizontalpodautoscalers', ['all'], ['hpa']],
    ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', ['api-extensions'], ['crd', 'crds']],
    ['', 'v1', 'configmaps', [], ['cm']],
    ['example.com', 'v1', 'widgets', ['all', 'toys'], ['wd']],
  ];
  for (const [group, version, plural, categories, shortNames] of cases) {
    it(`${plural}: categories ${JSON.stringify(categories)}`, () => {
      const reg = new Registry();
      reg.registerCrd(CRD);
      const r = (resourceList(reg, group, version) as { resources: J[] }).resources.find((x) => x.name === plural) as J;
      assert.deepEqual(r.categories ?? [], categories);
      assert.deepEqual(r.shortNames, shortNames);
    });
  }

  it('namespaces cannot be deleted as a collection', () => {
    const r = (resourceList(new Registry(), '', 'v1') as { resources: J[] }).resources.find((x) => x.name === 'namespaces') as J;
    assert.deepEqual(r.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
  });

  it('answers aggregated discovery only when asked for v2 first', () => {
    assert.equal(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'), true);
    assert.equal(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), false);
    assert.equal(wantsAggregated('application/json, */*'), false);
  });
});
