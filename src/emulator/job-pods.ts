/**
 * What build Jobs' pods show beyond their status (which the Job controller and the kubelet in
 * controllers/ write): the node choice by preferred node affinity on `kubernetes.io/hostname`
 * (highest total weight; ties to the first node), the digest kaniko writes to the termination log
 * as its `--digest-file=/dev/termination-log` does, and a log in the style of what runs: the
 * context, each pushed destination, or the push error when a destination registry is under
 * `.invalid` (containers.ts).
 */
import { createHash } from 'node:crypto';
import { pushFailure } from './containers.js';
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

function containers(pod: Obj): J[] {
  return (rec(pod.spec).containers as J[] | undefined) ?? [];
}

function args(c: J): string[] {
  return ((c.args as unknown[] | undefined) ?? []).map(String);
}

const isKaniko = (c: J): boolean => args(c).some((a) => a.startsWith('--destination='));

/** A deterministic log for a pod's container, in the style of what runs in it. */
export function podLogText(pod: Obj, containerName?: string): string {
  const c = containers(pod).find((x) => containerName === undefined || x.name === containerName);
  if (!c) return '';
  const phase = String(rec(pod.status).phase ?? 'Pending');
  if (phase === 'Pending') return '';
  if (!isKaniko(c)) return `${String(c.name)}: started\n${phase === 'Running' ? '' : `${String(c.name)}: exited (${phase})\n`}`;
  const flag = (n: string) => args(c).filter((a) => a.startsWith(`--${n}=`)).map((a) => a.slice(n.length + 3));
  const lines = [
    `INFO[0000] Using git context ${flag('context')[0] ?? '?'}`,
    `INFO[0001] Building Dockerfile ${flag('dockerfile')[0] ?? 'Dockerfile'}`,
    `INFO[0001] Retrieving image manifest from cache repo ${flag('cache-repo')[0] ?? '-'}`,
    'INFO[0002] Executing 3 build steps',
  ];
  if (phase === 'Running') return lines.join('\n') + '\n';
  const push = pushFailure(c);
  if (phase === 'Failed' && push) return [...lines, ...flag('destination').slice(0, 1).map((d) => `INFO[0004] Pushing image to ${d}`), push].join('\n') + '\n';
  if (phase === 'Failed') return [...lines, 'INFO[0003] RUN make build', 'make: *** [build] Error 1', 'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1'].join('\n') + '\n';
  const digest = buildDigest((pod.metadata.labels ?? {})['job-name'] ?? '');
  return [...lines, ...flag('destination').flatMap((d) => [`INFO[0004] Pushing image to ${d}`, `INFO[0005] Pushed ${d.replace(/:[^:/]+$/, '')}@${digest}`])].join('\n') + '\n';
}
