/**
 * Pods as a workload controller creates them from its template (k8s.io/kubernetes
 * pkg/controller/controller_utils.go GetPodFromTemplate): the template's labels, annotations and
 * spec, a name of the workload's choosing, and an owner reference making the workload its controller.
 */
import type { Obj } from '../store.js';
import { controllerRef, rec, template, type Ctx } from './context.js';

export function podFromTemplate(owner: Obj, apiVersion: string, kind: string, name: string, extraLabels: Record<string, string>, tpl: Record<string, unknown> = template(owner)): Obj {
  const meta = rec(tpl.metadata);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${String(owner.metadata.name)}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(rec(meta.labels) as Record<string, string>), ...extraLabels },
      ...(meta.annotations ? { annotations: { ...(rec(meta.annotations) as Record<string, string>) } } : {}),
      ownerReferences: [controllerRef(owner, apiVersion, kind)],
    },
    spec: structuredClone(rec(tpl.spec)),
  } as unknown as Obj;
}

/** Creates the pod through the API as the controller-manager would; records SuccessfulCreate on `owner`. */
export function createPod(ctx: Ctx, owner: Obj, pod: Obj, component: string): Obj {
  const created = ctx.api.create(ctx.target('v1', 'Pod', pod.metadata.namespace), pod, { fieldManager: 'kube-controller-manager' });
  ctx.events.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${String(pod.metadata.name)}`, { component });
  return created;
}

/** Deletes the pod through the API; records SuccessfulDelete on `owner`. */
export function deletePod(ctx: Ctx, owner: Obj, pod: Obj, component: string): void {
  ctx.api.delete(ctx.target('v1', 'Pod', pod.metadata.namespace), pod.metadata.name ?? '');
  ctx.events.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${String(pod.metadata.name)}`, { component });
}

/** A free pod name `<base>-<suffix>`: the suffix derived from a counter so names are repeatable. */
export function freeName(ctx: Ctx, namespace: string | undefined, base: string, suffix: (n: number) => string, start: number): [string, number] {
  for (let n = start; ; n++) {
    const name = `${base}-${suffix(n)}`;
    if (!ctx.store.get('/pods', namespace, name)) return [name, n + 1];
  }
}
