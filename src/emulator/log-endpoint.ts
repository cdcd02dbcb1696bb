/**
 * `GET …/pods/{name}/log`: the container's simulated log (logs.ts) as text, with the kubelet's
 * options, and `follow=true` as a stream that stays open, receives each new line as the clock
 * passes it, and ends when the container stops or the pod is deleted.
 */
import type { ServerResponse } from 'node:http';
import type { Api, Target } from './api.js';
import { ApiError } from './errors.js';
import { containerLog, logOptions, renderLines, selectLines, type LogLine } from './logs.js';
import { resourceKey, type Obj } from './store.js';

export interface LogEndpointOptions {
  /** The time, ms since the epoch; injectable so tests control it. */
  readonly clock: () => number;
  /** How often a follow stream looks for new lines. */
  readonly pollMs: number;
}

function containerNames(pod: Obj): string[] {
  return (((pod.spec as { containers?: { name?: string }[] } | undefined)?.containers ?? []).map((c) => String(c.name)));
}

/** Answers the log request; throws ApiError for what the API server refuses. */
export function servePodLog(api: Api, t: Target, name: string, q: URLSearchParams, res: ServerResponse, opts: LogEndpointOptions): void {
  const pod = api.get(t, name);
  const names = containerNames(pod);
  const container = q.get('container') ?? (names.length === 1 ? names[0] : undefined);
  if (container === undefined) throw new ApiError(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  const options = logOptions(q);
  const now = opts.clock();
  const log = containerLog(pod, container, now, q.get('previous') === 'true');
  if (!log.ok) throw new ApiError(log.status, 'BadRequest', log.message);
  const first = selectLines(log.lines, options, now);
  let budget = options.limitBytes ?? Infinity;
  const write = (text: string): boolean => {
    const bytes = Buffer.from(text);
    const part = bytes.subarray(0, Math.max(0, Math.min(bytes.length, budget)));
    budget -= part.length;
    if (part.length) res.write(part);
    return budget > 0;
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  const open = write(renderLines(first, options));
  if (q.get('follow') !== 'true' || !log.running || !open) {
    res.end();
    return;
  }
  // Following: send the lines written after the last one sent, until the container stops.
  res.flushHeaders();
  const key = resourceKey(t.type);
  let last: LogLine | undefined = log.lines[log.lines.length - 1];
  const poll = () => {
    const live = api.store.get(key, pod.metadata.namespace, name);
    if (!live || live.metadata.uid !== pod.metadata.uid) return stop();
    const now = opts.clock();
    const next = containerLog(live, container, now);
    if (!next.ok) return stop();
    const fresh = next.lines.filter((l) => !last || l.time > last.time);
    if (fresh.length) last = fresh[fresh.length - 1];
    if (!write(renderLines(fresh, options)) || !next.running) stop();
  };
  const timer = setInterval(poll, opts.pollMs);
  const unwatch = api.store.watch((e) => {
    if (e.resource === key && e.type === 'DELETED' && e.object.metadata.uid === pod.metadata.uid) stop();
  });
  function stop(): void {
    clearInterval(timer);
    unwatch();
    if (!res.writableEnded) res.end();
  }
  res.on('close', stop);
}
