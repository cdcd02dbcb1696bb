/**
 * An app × env's status as an `AppEnvironment` object (sluice.dev/v1alpha1), pure: what git says
 * goes to `spec`, what sluice observed to `status`, with Kubernetes-convention conditions `Synced`,
 * `Healthy` and `Ready` (Ready = Synced and Healthy) so `kubectl wait --for=condition=Ready` works.
 * The writer (appenv-writer.ts) applies these; this module never does I/O.
 */
import { createHash } from 'node:crypto';
import type { AppEnvStatus, ConditionType } from './status.js';

export const APPENV_API_VERSION = 'sluice.dev/v1alpha1';
export const APPENV_KIND = 'AppEnvironment';
export const APP_LABEL = 'sluice.dev/app';
export const ENV_LABEL = 'sluice.dev/env';

/** Where git says the app × env goes. */
export interface AppEnvTarget {
  readonly app: string;
  readonly env: string;
  /** kubeconfig context name; '' is the controller's own cluster. */
  readonly cluster: string;
  readonly namespace: string;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A condition as metav1.Condition has it. */
export interface AppEnvCondition {
  /** Synced, Healthy, Ready; and while one holds, the status's own conditions (ComparisonError, …) as True. */
  readonly type: 'Synced' | 'Healthy' | 'Ready' | ConditionType;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration: number;
}

export interface AppEnvObjectStatus {
  readonly observedGeneration: number;
  readonly sync: string;
  readonly health: string;
  /** Config repo commit git says (what sluice compared against). */
  readonly revision: string;
  /** Config repo commit of the last sync that ran (what the cluster runs); '' before any. */
  readonly runningRevision: string;
  readonly images: readonly string[];
  /** The images short, for the IMAGES column: `name:tag` (or `name@sha256:…` cut), comma-separated. */
  readonly imageSummary: string;
  /** Phase of the current or last sync operation; '' when none ran since start-up. */
  readonly operationPhase: string;
  readonly lastSyncTime?: string;
  readonly message: string;
  readonly conditions: readonly AppEnvCondition[];
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Messages are capped so one object stays small (the API server's limit is ~1.5 MiB per object). */
export const MAX_MESSAGE = 1024;

/**
 * `<app>-<env>` when that is a valid object name (DNS subdomain); otherwise a sanitised, shortened
 * name with a hash of the pair, so every app × env still gets one stable, distinct name. The labels
 * carry the exact app and env.
 */
export function appEnvName(app: string, env: string): string {
  const plain = `${app}-${env}`;
  if (DNS_SUBDOMAIN.test(plain)) return plain;
  const hash = createHash('sha256').update(`${app}\0${env}`).digest('hex').slice(0, 8);
  const base = plain.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 200);
  return base ? `${base}-${hash}` : `appenv-${hash}`;
}

/** A label value as Kubernetes accepts it (≤ 63 chars, alphanumeric ends); '' otherwise. */
function labelValue(v: string): string {
  return /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) && v.length <= 63 ? v : '';
}

/** The object's identity and spec, as applied (no status: that goes through the status subresource). */
export function appEnvSpecObject(t: AppEnvTarget, namespace: string): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Record<string, string> } {
  return {
    apiVersion: APPENV_API_VERSION, kind: APPENV_KIND,
    metadata: { name: appEnvName(t.app, t.env), namespace, labels: { [APP_LABEL]: labelValue(t.app), [ENV_LABEL]: labelValue(t.env), 'app.kubernetes.io/managed-by': 'sluice' } },
    spec: { app: t.app, env: t.env, cluster: t.cluster, namespace: t.namespace },
  };
}

function capped(s: string): string {
  return s.length <= MAX_MESSAGE ? s : `${s.slice(0, MAX_MESSAGE - 1)}…`;
}

/** `registry.example.com/shop/web:1.2` → `web:1.2`; a digest is cut to 12 hex digits. */
export function shortImage(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  const at = last.indexOf('@');
  return at < 0 ? last : `${last.slice(0, at)}@${last.slice(at + 1).replace(/^sha256:/, '').slice(0, 12)}`;
}

type ConditionInput = Omit<AppEnvCondition, 'lastTransitionTime' | 'observedGeneration'>;

function syncedCondition(s: AppEnvStatus): ConditionInput {
  const status: ConditionStatus = s.syncStatus === 'Synced' ? 'True' : s.syncStatus === 'Unknown' ? 'Unknown' : 'False';
  return { type: 'Synced', status, reason: s.syncStatus, message: s.syncStatus === 'Synced' ? `synced to ${s.revision.slice(0, 12)}` : capped(s.message) };
}

function healthyCondition(s: AppEnvStatus): ConditionInput {
  const status: ConditionStatus = s.health === 'Healthy' ? 'True' : s.health === 'Unknown' ? 'Unknown' : 'False';
  const unhealthy = s.resources.filter((r) => !r.extra && r.health !== 'Healthy').map((r) => `${r.kind}/${r.name}: ${r.health}${r.message ? ` (${r.message})` : ''}`);
  return { type: 'Healthy', status, reason: s.health, message: capped(unhealthy.join('; ') || `all resources ${s.health}`) };
}

/** Ready is True only when Synced and Healthy are; otherwise it names the first that is not. */
function readyCondition(synced: ConditionInput, healthy: ConditionInput): ConditionInput {
  if (synced.status === 'True' && healthy.status === 'True') return { type: 'Ready', status: 'True', reason: 'Ready', message: 'synced and healthy' };
  const first = synced.status !== 'True' ? synced : healthy;
  const status: ConditionStatus = first.status === 'Unknown' ? 'Unknown' : 'False';
  return { type: 'Ready', status, reason: first.type === 'Synced' ? `Not${first.type}` : 'NotHealthy', message: first.message };
}

/**
 * The status an AppEnvironment should carry. `previous` is what was last written: a condition keeps
 * its lastTransitionTime while its status stays (Kubernetes conventions), so an unchanged app × env
 * maps to the same object and the writer has nothing to write.
 */
export function appEnvStatus(s: AppEnvStatus, generation: number, previous: AppEnvObjectStatus | undefined, now: string): AppEnvObjectStatus {
  const synced = syncedCondition(s);
  const healthy = healthyCondition(s);
  const conditions = [synced, healthy, readyCondition(synced, healthy)].map((c) => {
    const before = previous?.conditions.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: before && before.status === c.status ? before.lastTransitionTime : now, observedGeneration: generation };
  });
  // What keeps sluice from its usual work, so every replica's API shows it from this object alone.
  for (const c of s.conditions ?? []) conditions.push({ type: c.type, status: 'True', reason: c.reason, message: capped(c.message), lastTransitionTime: c.lastTransitionTime, observedGeneration: generation });
  return {
    observedGeneration: generation,
    sync: s.syncStatus, health: s.health, revision: s.revision,
    runningRevision: s.lastSync?.revision ?? previous?.runningRevision ?? '',
    images: [...(s.images ?? [])],
    imageSummary: capped((s.images ?? []).map(shortImage).join(',')),
    operationPhase: s.operation?.phase ?? '',
    ...(s.lastSyncedAt ? { lastSyncTime: s.lastSyncedAt } : {}),
    message: capped(s.message),
    conditions,
  };
}
