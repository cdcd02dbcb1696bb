/**
 * What build Jobs' pods show beyond their status (which the Job controller and the kubelet in
 * controllers/ write): the node choice by preferred node affinity on `kubernetes.io/hostname`
 * (highest total weight; ties to the first node), the digest kaniko writes to the termination log
 * as its `--digest-file=/dev/termination-log` does, and kaniko's error text (logs.ts writes the
 * log in the style of what runs: the context, each pushed destination, or the push error when a
 * destination registry is under `.invalid`, containers.ts).
 */
import { createHash } from 'node:crypto';
import type { Obj } from './store.js';

type J = Record<string, unknown>;

function rec(v: unknown): J {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
}

interface Term {
  readonly weight?: number;
  readonly preference?: { readonly matchExpressions?: { key?: string; operator?: string; values?: string[] }[] };
}

/** The node a pod lands on: its `nodeName`, else the best preferred-affinity score among `nodes`. */
export function chooseNode(podSpec: J, nodes: readonly string[]): string | undefined {
  if (typeof podSpec.nodeName === 'string') return podSpec.nodeName;
  const terms = (rec(rec(rec(podSpec.affinity).nodeAffinity)).preferredDuringSchedulingIgnoredDuringExecution ?? []) as Term[];
  let best: string | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = terms
      .filter((t) => (t.preference?.matchExpressions ?? []).every((e) => e.key === 'kubernetes.io/hostname' && e.operator === 'In' && (e.values ?? []).includes(node)))
      .reduce((sum, t) => sum + (t.weight ?? 0), 0);
    if (score > bestScore) [best, bestScore] = [node, score];
  }
  return best;
}

/** The digest kaniko reports for a build: stable per Job, so tests can predict it. */
export function buildDigest(jobName: string): string {
  return `sha256:${createHash('sha256').update(jobName).digest('hex')}`;
}

/** kaniko's error when a build step fails (its log's last line and the container's termination message). */
export const KANIKO_ERROR = 'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1';

/** True for a pod a Job owns. */
export function ownedByJob(o: Obj): boolean {
  return ((o.metadata.ownerReferences as { kind?: string }[] | undefined) ?? []).some((r) => r.kind === 'Job');
}
