/**
 * The `components.schemas` of an OpenAPI v3 group-version document, as `kubectl explain` reads
 * them: every definition the group version's kinds reach, each kind's root marked with
 * `x-kubernetes-group-version-kind`; a custom resource's root is its CRD's `openAPIV3Schema`
 * with the standard `metadata`.
 */
import type { ResourceType } from '../registry.js';
import { API_VERSION_DOC, builtinSchemas, KIND_DOC, type SchemaNode } from './schema.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** `example.com` + v1 + Widget → `com.example.v1.Widget`, the API server's name for a CR's schema. */
function customName(t: ResourceType): string {
  return [...t.group.split('.').reverse(), t.version, t.kind].join('.');
}

function customSchema(t: ResourceType, schema: SchemaNode): SchemaNode {
  const props: Record<string, SchemaNode> = { ...(schema.properties ?? {}) };
  props.apiVersion = { type: 'string', description: API_VERSION_DOC, ...props.apiVersion };
  props.kind = { type: 'string', description: KIND_DOC, ...props.kind };
  props.metadata = { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" };
  return { ...schema, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: t.kind }] };
}

export function openapiSchemas(types: readonly ResourceType[], crdSchemaOf: (t: ResourceType) => SchemaNode | undefined): Record<string, SchemaNode> {
  const roots: string[] = [];
  const custom: Record<string, SchemaNode> = {};
  for (const t of types) {
    const crd = crdSchemaOf(t);
    if (crd) {
      custom[customName(t)] = customSchema(t, crd);
      builtinSchemas.rootOf('', 'v1', 'Namespace'); // loads ObjectMeta
      roots.push(OBJECT_META);
      continue;
    }
    const root = builtinSchemas.rootOf(t.group, t.version, t.kind);
    if (root) roots.push(root);
  }
  return { ...builtinSchemas.closure(roots), ...custom };
}
