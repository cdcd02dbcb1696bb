/**
 * Sync waves: an integer annotation that orders groups of objects, lowest first. sluice reads its
 * own annotation and honours Argo CD's so Argo users can migrate charts unchanged; without either,
 * Helm's hook weight is the wave (gitops-engine syncwaves.Wave).
 */
import type { KubeObject } from '../kube/types.js';

export const WAVE_ANNOTATIONS = ['sluice.dev/sync-wave', 'argocd.argoproj.io/sync-wave', 'helm.sh/hook-weight'] as const;

export function syncWave(obj: KubeObject): number {
  const annotations = obj.metadata.annotations ?? {};
  for (const key of WAVE_ANNOTATIONS) {
    const raw = annotations[key];
    if (raw !== undefined && /^-?\d+$/.test(raw.trim())) return parseInt(raw, 10);
  }
  return 0;
}
