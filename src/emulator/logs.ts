/**
 * What `kubectl logs` reads from a simulated container: a deterministic log computed from the pod
 * and the time, so it is reproducible and needs no state. A Job's pod logs what its program would
 * (kaniko: the context, each pushed destination, or the error); any other container prints the
 * start-up lines of what runs in it (nginx's entrypoint and notices, else a generic server naming
 * its image; a shell script prints its `echo`s), then, while it runs, one access-log line every
 * LOG_INTERVAL_MS since it started. The kubelet's options (tailLines, limitBytes, sinceSeconds,
 * sinceTime, timestamps, previous) are applied here too.
 */
import { pushFailure } from './containers.js';
import { buildDigest, KANIKO_ERROR, ownedByJob } from './job-pods.js';
import type { Obj } from './store.js';

type J = Record<string, unknown>;

/** A running container's heartbeat: one line per interval since it started. */
export const LOG_INTERVAL_MS = 5_000;

export interface LogLine {
  /** When the line was written, ms since the epoch. */
  readonly time: number;
  readonly text: string;
}

export type LogResult = { ok: true; lines: LogLine[]; running: boolean } | { ok: false; status: number; message: string };

function rec(v: unknown): J {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
}

function containers(pod: Obj): J[] {
  const spec = rec(pod.spec);
  return [...((spec.containers as J[] | undefined) ?? []), ...((spec.initContainers as J[] | undefined) ?? [])];
}

const args = (c: J): string[] => ((c.args as unknown[] | undefined) ?? []).map(String);
const isKaniko = (c: J): boolean => args(c).some((a) => a.startsWith('--destination='));

/** The log of a Job's container, as it was before logs had timestamps: by phase only. */
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
  if (phase === 'Failed') return [...lines, 'INFO[0003] RUN make build', 'make: *** [build] Error 1', `error building image: ${KANIKO_ERROR.slice('error building image: '.length)}`].join('\n') + '\n';
  const digest = buildDigest((pod.metadata.labels ?? {})['job-name'] ?? '');
  return [...lines, ...flag('destination').flatMap((d) => [`INFO[0004] Pushing image to ${d}`, `INFO[0005] Pushed ${d.replace(/:[^:/]+$/, '')}@${digest}`])].join('\n') + '\n';
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's error-log time (`2026/12/03 12:00:00`) and access-log time (`03/Dec/2026:12:00:00 +0000`). */
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function accessTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The image's repository name (`nginx` of `docker.io/library/nginx:1.27`) and tag. */
function imageName(image: string): { name: string; tag: string } {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? noDigest;
  const [name, tag] = last.split(':');
  return { name, tag: tag ?? 'latest' };
}

/** The `echo`ed words of a shell script container, in order. */
function echoes(c: J): string[] | undefined {
  const argv = [...((c.command as unknown[] | undefined) ?? []), ...((c.args as unknown[] | undefined) ?? [])].map(String);
  if (!argv.length) return undefined;
  const script = argv[1] === '-c' ? (argv[2] ?? '') : argv.join(' ');
  return script
    .split(/;|&&|\n/)
    .map((s) => s.trim())
    .filter((s) => s.startsWith('echo '))
    .map((s) => s.slice(5).trim().replace(/^(['"])(.*)\1$/, '$2'));
}

/** The lines a container instance started at `start` has written by `until`. */
export function instanceLines(pod: Obj, c: J, start: number, until: number, exit?: { code: number; at: number }): LogLine[] {
  const image = String(c.image ?? '');
  const { name, tag } = imageName(image);
  const echoed = echoes(c);
  const out: LogLine[] = [];
  const at = (offsetMs: number, text: string) => start + offsetMs <= until && out.push({ time: start + offsetMs, text });
  if (echoed) {
    for (const [i, text] of echoed.entries()) at(i, text);
  } else {
    if (name === 'nginx') {
      const t = nginxTime(start);
      for (const [i, text] of [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        `${t} [notice] 1#1: using the "epoll" event method`,
        `${t} [notice] 1#1: nginx/${tag === 'latest' ? '1.27.3' : tag}`,
        `${t} [notice] 1#1: start worker processes`,
      ].entries()) at(i, text);
    } else {
      const port = Number((((c.ports as J[] | undefined) ?? [])[0] ?? {}).containerPort ?? 8080);
      at(0, `Starting ${name} ${tag} (image ${image})`);
      at(1, `Listening on :${port}`);
    }
    const hostIP = String(rec(pod.status).hostIP ?? '10.244.0.1');
    for (let t = start + LOG_INTERVAL_MS; t <= until; t += LOG_INTERVAL_MS) {
      const n = (t - start) / LOG_INTERVAL_MS;
      out.push({ time: t, text: name === 'nginx' ? `${hostIP} - - [${accessTime(t)}] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.34" "-"` : `${new Date(t).toISOString()} INFO request ${n}: GET /healthz 200` });
    }
  }
  if (exit && exit.at <= until && !echoed) out.push({ time: exit.at, text: exit.code === 0 ? 'Shutting down: done' : `Exiting with code ${exit.code}` });
  return out;
}

const parseTime = (v: unknown): number | undefined => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : undefined);

/** The log of `containerName` in `pod` at `now`: the current instance, or the previous one. */
export function containerLog(pod: Obj, containerName: string, now: number, previous = false): LogResult {
  const podName = String(pod.metadata.name);
  const c = containers(pod).find((x) => x.name === containerName);
  if (!c) return { ok: false, status: 400, message: `container ${containerName} is not valid for pod ${podName}` };
  const st = rec(pod.status);
  const cs = [...((st.containerStatuses as J[] | undefined) ?? []), ...((st.initContainerStatuses as J[] | undefined) ?? [])].find((x) => x.name === containerName);
  if (ownedByJob(pod) && !previous) {
    // A Job's log reads as its program's, written when the container started.
    const start = parseTime(rec(rec(cs?.state).running).startedAt) ?? parseTime(rec(rec(cs?.state).terminated).startedAt) ?? parseTime(st.startTime) ?? now;
    const text = podLogText(pod, containerName);
    return { ok: true, lines: text.split('\n').slice(0, -1).map((t) => ({ time: start, text: t })), running: st.phase === 'Running' };
  }
  if (previous) {
    const last = rec(rec(cs?.lastState).terminated);
    const start = parseTime(last.startedAt);
    const end = parseTime(last.finishedAt);
    if (start === undefined || end === undefined) return { ok: false, status: 400, message: `previous terminated container "${containerName}" in pod "${podName}" not found` };
    return { ok: true, lines: instanceLines(pod, c, start, end, { code: Number(last.exitCode ?? 0), at: end }), running: false };
  }
  const state = rec(cs?.state);
  const running = rec(state.running);
  const terminated = rec(state.terminated);
  if (state.running !== undefined) {
    const start = parseTime(running.startedAt) ?? now;
    return { ok: true, lines: instanceLines(pod, c, start, now), running: true };
  }
  if (state.terminated !== undefined) {
    const start = parseTime(terminated.startedAt) ?? now;
    const end = parseTime(terminated.finishedAt) ?? now;
    return { ok: true, lines: instanceLines(pod, c, start, end, { code: Number(terminated.exitCode ?? 0), at: end }), running: false };
  }
  // Waiting to restart (CrashLoopBackOff): the kubelet serves the instance that last ran.
  const last = rec(rec(cs?.lastState).terminated);
  const lastStart = parseTime(last.startedAt);
  const lastEnd = parseTime(last.finishedAt);
  if (lastStart !== undefined && lastEnd !== undefined) return { ok: true, lines: instanceLines(pod, c, lastStart, lastEnd, { code: Number(last.exitCode ?? 0), at: lastEnd }), running: false };
  const reason = String(rec(state.waiting).reason ?? 'ContainerCreating');
  const why = reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason === 'ErrImagePull' ? "image can't be pulled" : reason;
  return { ok: false, status: 400, message: `container "${containerName}" in pod "${podName}" is waiting to start: ${why}` };
}

export interface LogOptions {
  readonly tailLines?: number;
  readonly limitBytes?: number;
  readonly sinceSeconds?: number;
  readonly sinceTime?: string;
  readonly timestamps?: boolean;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `timestamps=true`. */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The lines `opts` selects (since, then tail), as text; limitBytes is the caller's, over the whole stream. */
export function selectLines(lines: readonly LogLine[], opts: LogOptions, now: number): LogLine[] {
  let from = -Infinity;
  if (opts.sinceSeconds !== undefined) from = now - opts.sinceSeconds * 1000;
  const since = parseTime(opts.sinceTime);
  if (since !== undefined) from = Math.max(from, since);
  let out = lines.filter((l) => l.time >= from);
  if (opts.tailLines !== undefined) out = opts.tailLines <= 0 ? [] : out.slice(-opts.tailLines);
  return out;
}

export function renderLines(lines: readonly LogLine[], opts: LogOptions): string {
  return lines.map((l) => `${opts.timestamps ? `${logTimestamp(l.time)} ` : ''}${l.text}\n`).join('');
}

/** Reads the kubelet's log options from a query string. */
export function logOptions(q: URLSearchParams): LogOptions {
  const num = (k: string) => (q.get(k) === null || Number.isNaN(Number(q.get(k))) ? undefined : Number(q.get(k)));
  return { tailLines: num('tailLines'), limitBytes: num('limitBytes'), sinceSeconds: num('sinceSeconds'), sinceTime: q.get('sinceTime') ?? undefined, timestamps: q.get('timestamps') === 'true' };
}
