/**
 * Sync hooks (after gitops-engine pkg/sync/hook and Argo CD's docs): which objects are hooks, in which
 * phase they run, and which delete policies apply. sluice reads its own annotation, Argo CD's, and
 * Helm's hook annotations mapped the way Argo CD maps them. Pure.
 */
import type { KubeObject } from '../kube/types.js';

export type HookPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type HookDeletePolicy = 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed';

export const HOOK_ANNOTATIONS = ['sluice.dev/hook', 'argocd.argoproj.io/hook'] as const;
export const HOOK_DELETE_POLICY_ANNOTATIONS = ['sluice.dev/hook-delete-policy', 'argocd.argoproj.io/hook-delete-policy'] as const;
export const HELM_HOOK = 'helm.sh/hook';
export const HELM_HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';

const PHASES: ReadonlySet<string> = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail']);
const POLICIES: ReadonlySet<string> = new Set(['BeforeHookCreation', 'HookSucceeded', 'HookFailed']);

/** Helm hook events Argo CD runs; the others (delete, rollback, test hooks) never run during a sync. */
const HELM_PHASES: Readonly<Record<string, HookPhase>> = {
  'crd-install': 'PreSync',
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

const HELM_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

function csv(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export type HookKind = { hook: false } | { hook: true; phases: HookPhase[] } | { hook: true; skip: true; reason: string };

/**
 * Classifies an object: not a hook; a hook with the phases it runs in; or a hook that never runs
 * in a sync (a Helm delete/rollback/test hook, or `Skip`). sluice's and Argo's annotation win over
 * Helm's, as in gitops-engine.
 */
export function hookKind(obj: KubeObject): HookKind {
  const annotations = obj.metadata.annotations ?? {};
  for (const key of HOOK_ANNOTATIONS) {
    const values = csv(annotations[key]);
    if (values.length === 0) continue;
    if (values.includes('Skip')) return { hook: true, skip: true, reason: `${key}: Skip` };
    const phases = values.filter((v): v is HookPhase => PHASES.has(v));
    if (phases.length) return { hook: true, phases };
  }
  const helm = csv(annotations[HELM_HOOK]);
  if (helm.length === 0) return { hook: false };
  const phases = [...new Set(helm.map((h) => HELM_PHASES[h]).filter((p): p is HookPhase => p !== undefined))];
  if (phases.length) return { hook: true, phases };
  return { hook: true, skip: true, reason: `${HELM_HOOK}: ${helm.join(',')} does not run during a sync` };
}

/** Delete policies; none declared means BeforeHookCreation (gitops-engine hook.DeletePolicies). */
export function deletePolicies(obj: KubeObject): HookDeletePolicy[] {
  const annotations = obj.metadata.annotations ?? {};
  const out = new Set<HookDeletePolicy>();
  for (const key of HOOK_DELETE_POLICY_ANNOTATIONS) for (const p of csv(annotations[key])) if (POLICIES.has(p)) out.add(p as HookDeletePolicy);
  for (const p of csv(annotations[HELM_HOOK_DELETE_POLICY])) if (HELM_POLICIES[p]) out.add(HELM_POLICIES[p]);
  if (out.size === 0) out.add('BeforeHookCreation');
  return [...out];
}

/**
 * A hook's name: its own, or for `generateName` hooks one derived from the sync id, so a re-run of
 * the same sync finds the object it created instead of creating another.
 */
export function hookName(obj: KubeObject, syncId: string): string {
  if (obj.metadata.name) return obj.metadata.name;
  const base = String(obj.metadata.generateName ?? 'hook-');
  return `${base}${syncId.replace(/[^a-z0-9]/g, '').slice(0, 10)}`.slice(0, 63).replace(/-+$/, '');
}
