/**
 * The smallest OpenAPI v3 that kubectl needs: the root index (`/openapi/v3`) and, per group
 * version, a document whose PATCH operations carry `x-kubernetes-group-version-kind` and the
 * `fieldValidation` query parameter. kubectl 1.34 then validates on the server
 * (k8s.io/cli-runtime resource/query_param_verifier_v3.go) instead of downloading schemas.
 * `components.schemas` carries the kinds' schemas (built-in ones from the kubernetes-models
 * package, custom resources from their CRD), so `kubectl explain` works; they are built on request.
 */
import { groupVersion, type Registry, type ResourceType } from './registry.js';
import { openapiSchemas } from './validation/openapi-schemas.js';
import type { SchemaNode } from './validation/schema.js';

function pathOf(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openapiRoot(reg: Registry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of reg.all()) {
    const p = pathOf(t.group, t.version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${Buffer.from(groupVersion(t)).toString('hex').slice(0, 16)}` };
  }
  return { paths };
}

const PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' } }));

export function openapiGroupVersion(reg: Registry, group: string, version: string, crdSchemaOf: (t: ResourceType) => SchemaNode | undefined = () => undefined): Record<string, unknown> | undefined {
  const types = reg.all().filter((t) => t.group === group && t.version === version);
  if (!types.length) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const base = `/${pathOf(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}/{name}`;
    const gvk = { group, version, kind: t.kind };
    paths[base] = { patch: { operationId: `patch${t.kind}`, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters: PARAMS, responses: { '200': { description: 'OK' } } } };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths, components: { schemas: openapiSchemas(types, crdSchemaOf) } };
}
