/**
 * The AppEnvironment CustomResourceDefinition. manifests/sluice/templates/crd-appenvironment.yaml is
 * this object as YAML (test/manifests/self.test.ts holds them equal): the chart installs it, and the
 * controller applies it at start-up when it may (`sluice demo`, the emulator, a kubeconfig with the
 * right), so one definition serves both. The schema is structural and declares every field the
 * writer sets: the API server prunes unknown fields of a custom resource.
 */
import type { KubeObject } from '../kube/types.js';
import { APPENV_KIND } from './appenv.js';

const str = { type: 'string' } as const;

const conditionSchema = {
  type: 'object',
  required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
  properties: {
    type: str,
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    reason: str,
    message: str,
    lastTransitionTime: { type: 'string', format: 'date-time' },
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
  },
};

const schema = {
  type: 'object',
  description: "An app × env of sluice.yaml: where git sends it (spec) and what sluice last observed of it (status).",
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['app', 'env'],
      properties: {
        app: { ...str, description: 'App name in sluice.yaml.' },
        env: { ...str, description: 'Environment name in sluice.yaml.' },
        cluster: { ...str, description: "kubeconfig context of the target cluster ('' = the controller's own)." },
        namespace: { ...str, description: 'Namespace the app × env is deployed to.' },
      },
    },
    status: {
      type: 'object',
      properties: {
        observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
        sync: { ...str, description: 'Synced, OutOfSync, Unknown, Error or RolledBack.' },
        health: { ...str, description: 'Healthy, Progressing, Degraded, Suspended, Missing or Unknown.' },
        revision: { ...str, description: 'Config repo commit git says.' },
        runningRevision: { ...str, description: 'Config repo commit of the last sync that ran.' },
        images: { type: 'array', items: str, description: 'Container images of the live objects.' },
        imageSummary: { ...str, description: 'The images as name:tag, comma-separated (the IMAGES column).' },
        operationPhase: { ...str, description: 'Phase of the current or last sync operation.' },
        lastSyncTime: { type: 'string', format: 'date-time' },
        message: str,
        conditions: {
          type: 'array', items: conditionSchema,
          'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
        },
      },
    },
  },
};

const columns = [
  { name: 'App', type: 'string', jsonPath: '.spec.app' },
  { name: 'Env', type: 'string', jsonPath: '.spec.env' },
  { name: 'Sync', type: 'string', jsonPath: '.status.sync' },
  { name: 'Health', type: 'string', jsonPath: '.status.health' },
  { name: 'Revision', type: 'string', jsonPath: '.status.revision' },
  { name: 'Images', type: 'string', jsonPath: '.status.imageSummary' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  { name: 'Operation', type: 'string', jsonPath: '.status.operationPhase', priority: 1 },
  { name: 'Message', type: 'string', jsonPath: '.status.message', priority: 1 },
];

export const APPENV_CRD_NAME = 'appenvironments.sluice.dev';

export function appEnvironmentCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: APPENV_CRD_NAME },
    spec: {
      group: 'sluice.dev',
      scope: 'Namespaced',
      names: { kind: APPENV_KIND, listKind: `${APPENV_KIND}List`, plural: 'appenvironments', singular: 'appenvironment', shortNames: ['appenv'], categories: ['sluice'] },
      versions: [{ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} }, additionalPrinterColumns: columns, schema: { openAPIV3Schema: schema } }],
    },
  };
}
