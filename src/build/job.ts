/**
 * The batch/v1 Job that runs one build with the kaniko executor (GoogleContainerTools/kaniko
 * README: git context `git://host/path.git#refs/heads/<branch>#<commit>`, `--cache-repo`,
 * `--cache-dir`, `--digest-file`, credentials in /kaniko/.docker/config.json).
 *
 * Security: kaniko unpacks images and runs RUN steps as root inside its own container, so it runs
 * as uid 0, but unprivileged, with no Docker socket, no service-account token, no privilege
 * escalation, and all capabilities dropped except those file-system work needs: CHOWN, DAC_OVERRIDE,
 * FOWNER, FSETID (set ownership/modes of extracted layers), SETUID, SETGID (`USER` / package
 * installers switching users), SETFCAP (files carrying capabilities, e.g. ping in base images).
 */
import type { BuildSettings, BuildSpec } from '../config/types.js';
import type { KubeObject } from '../kube/types.js';

export const KANIKO_CAPABILITIES: readonly string[] = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'SETGID', 'SETUID', 'SETFCAP'];
/** Affinity terms to the nodes of at most this many recent builds (issue: "last 10 builds"). */
export const MAX_AFFINITY_NODES = 10;

export interface BuildJobInput {
  readonly spec: BuildSpec;
  readonly settings: BuildSettings;
  readonly buildId: string;
  readonly sha: string;
  readonly branch: string;
  /** Tags pushed (without `latest`; it is added for pushLatest on the main branch). */
  readonly tags: readonly string[];
  /** Nodes of this app's last builds, most recent first. */
  readonly recentNodes: readonly string[];
}

export class BuildJobError extends Error {
  readonly code = 'BUILD_REPO_UNSUPPORTED';
  constructor(readonly app: string, readonly repo: string) {
    super(`app ${app}: repo ${repo} cannot be a kaniko git context (only http:// and https:// URLs)`);
  }
}

/** kaniko's git context for an http(s) repo at an exact commit. */
export function gitContext(app: string, repo: string, branch: string, sha: string): string {
  const m = /^(https?):\/\/(?:[^@/]+@)?(.+)$/.exec(repo);
  if (!m) throw new BuildJobError(app, repo);
  return `git://${m[2]}#refs/heads/${branch}#${sha}`;
}

/** `sluice-build-<app>-<short id>`, trimmed to a 63-char DNS label. */
export function jobName(app: string, buildId: string): string {
  const id = buildId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8);
  const prefix = `sluice-build-${app}`.slice(0, 63 - 1 - id.length).replace(/-+$/, '');
  return id === '' ? prefix : `${prefix}-${id}`;
}

/** Preferred affinity to recent nodes: unique, up to 10, weighted 100, 90, 80 … by recency. */
export function nodeAffinity(recentNodes: readonly string[]): Record<string, unknown> | undefined {
  const nodes = [...new Set(recentNodes.filter((n) => n !== ''))].slice(0, MAX_AFFINITY_NODES);
  if (nodes.length === 0) return undefined;
  return {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: nodes.map((node, i) => ({
        weight: 100 - 10 * i,
        preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
      })),
    },
  };
}

export function destinations(input: BuildJobInput): string[] {
  const { spec } = input;
  const tags = [...input.tags];
  if (spec.pushLatest && input.branch === spec.branches[0] && !tags.includes('latest')) tags.push('latest');
  return tags.map((t) => `${spec.image}:${t}`);
}

export function kanikoArgs(input: BuildJobInput): string[] {
  const { spec, settings } = input;
  const args = [`--context=${gitContext(spec.app, spec.repo, input.branch, input.sha)}`];
  if (spec.context !== '.') args.push(`--context-sub-path=${spec.context}`);
  args.push(`--dockerfile=${spec.dockerfile}`);
  for (const d of destinations(input)) args.push(`--destination=${d}`);
  args.push(
    '--cache=true',
    `--cache-repo=${settings.cacheRepo ?? `${spec.image}/cache`}`,
    '--cache-dir=/cache',
    '--digest-file=/dev/termination-log',
  );
  return args;
}

function containerEnv(spec: BuildSpec): Record<string, unknown>[] {
  const env: Record<string, unknown>[] = [];
  // kaniko clones git:// contexts over https unless GIT_PULL_METHOD=http (kaniko README).
  if (spec.repo.startsWith('http://')) env.push({ name: 'GIT_PULL_METHOD', value: 'http' });
  if (spec.gitSecret !== undefined) {
    for (const key of ['GIT_USERNAME', 'GIT_PASSWORD']) {
      env.push({ name: key, valueFrom: { secretKeyRef: { name: spec.gitSecret, key, optional: true } } });
    }
  }
  return env;
}

function kanikoContainer(input: BuildJobInput): Record<string, unknown> {
  const env = containerEnv(input.spec);
  return {
    name: 'kaniko',
    image: input.settings.executorImage,
    args: kanikoArgs(input),
    ...(env.length > 0 ? { env } : {}),
    resources: { requests: { ...input.spec.resources.requests }, limits: { ...input.spec.resources.limits } },
    securityContext: {
      privileged: false,
      allowPrivilegeEscalation: false,
      runAsUser: 0,
      capabilities: { drop: ['ALL'], add: [...KANIKO_CAPABILITIES] },
    },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts: [
      { name: 'docker-config', mountPath: '/kaniko/.docker', readOnly: true },
      { name: 'base-image-cache', mountPath: '/cache' },
    ],
  };
}

export function buildJob(input: BuildJobInput): KubeObject {
  const { spec, settings } = input;
  const labels = { 'sluice.dev/build-id': input.buildId, 'sluice.dev/app': spec.app, 'app.kubernetes.io/managed-by': 'sluice' };
  const affinity = nodeAffinity(input.recentNodes);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(spec.app, input.buildId),
      namespace: settings.namespace,
      labels,
      annotations: {
        'sluice.dev/source-sha': input.sha,
        'sluice.dev/source-branch': input.branch,
        'sluice.dev/image': spec.image,
        'sluice.dev/env': spec.env,
        'sluice.dev/image-tags': destinations(input).map((d) => d.slice(spec.image.length + 1)).join(','),
      },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(settings.activeDeadlineMs / 1000),
      ttlSecondsAfterFinished: Math.ceil(settings.ttlAfterFinishedMs / 1000),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          ...(affinity ? { affinity } : {}),
          containers: [kanikoContainer(input)],
          volumes: [
            {
              name: 'docker-config',
              secret: { secretName: spec.registrySecret, items: [{ key: '.dockerconfigjson', path: 'config.json' }] },
            },
            { name: 'base-image-cache', hostPath: { path: settings.baseImageCacheHostPath, type: 'DirectoryOrCreate' } },
          ],
        },
      },
    },
  };
}
