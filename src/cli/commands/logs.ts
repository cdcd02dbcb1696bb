/**
 * `sluice logs APP ENV [POD] [--follow] [--container C] [--tail N]`: the logs of an app × env's pods
 * from a running sluice (every pod and container, each line prefixed when there are several, or one
 * pod's), followed with --follow until Ctrl-C. `sluice logs --build ID` (and, as before,
 * `sluice logs ID`: one argument is always a build) prints a build's log. Exit 0, 1 when refused
 * or unreachable, 2 on a usage error.
 */
import { flag, flagBool, parseArgs, UsageError, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';
import type { PodItem } from '../../engine/app-views.js';
import { ApiError, type ApiClient } from '../../server/client.js';

const USAGE = `Usage: sluice logs APP ENV [POD] [--follow] [--container C] [--tail N] [--server URL] [--token-file FILE]
       sluice logs --build ID [--server URL] [--token-file FILE]

With APP and ENV: the logs of the pods that APP runs in ENV (all of them, or POD), every container
unless --container names one; with more than one, each line starts with [POD/CONTAINER].
--follow keeps printing new lines until the pods end or Ctrl-C.

With --build ID (an ID from "sluice builds"): the build's log, live while it runs, the last
256 KiB once it has finished. "sluice logs ID" (a single argument) still means a build: an app's
logs always take two arguments, APP and ENV.

Flags:
  -f, --follow       keep streaming new lines
  -c, --container C  only container C
  --tail N           only the last N lines of each container (default: all)
  --build ID         the log of build ID
${API_FLAGS_HELP}

Examples:
  sluice logs guestbook prod --follow
  sluice logs guestbook prod guestbook-7d9f-x2k4p -c guestbook --tail 100
  sluice logs --build 3f9a12bc`;

const SPEC = { ...API_FLAGS, follow: { short: 'f', boolean: true }, container: { short: 'c' }, tail: {}, build: {} };

async function buildLog(args: ParsedArgs, id: string): Promise<number> {
  for (const f of ['follow', 'container', 'tail']) if (flag(args, f) !== undefined) throw new UsageError(`--${f} is for an app's pods, not a build`);
  const api = apiClient(args);
  return apiCall('logs', async () => {
    process.stdout.write(await api.getText(`/api/v1/builds/${encodeURIComponent(id)}/logs`));
  });
}

/** Writes whole lines, each with `prefix`; a partial line waits for its end (or `flush`). */
export function linePrefixer(prefix: string, write: (text: string) => void): { push(text: string): void; flush(): void } {
  let pending = '';
  return {
    push(text) {
      if (!prefix) return write(text);
      pending += text;
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      write(pending.slice(0, end + 1).replace(/^(?=.)/gm, prefix));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (pending) write(`${prefix}${pending}\n`);
      pending = '';
    },
  };
}

interface Stream {
  readonly pod: string;
  readonly container: string;
}

/** The pod × container streams asked for; refuses a POD or container the app × env does not have. */
export function streamsOf(app: string, env: string, pods: readonly PodItem[], pod: string | undefined, container: string | undefined): Stream[] {
  const chosen = pod === undefined ? pods : pods.filter((p) => p.name === pod);
  if (pod !== undefined && chosen.length === 0) throw new ApiError('refused', '', `${app}/${env} has no pod ${pod} (its pods: ${pods.map((p) => p.name).join(', ') || 'none'})`, 404);
  if (chosen.length === 0) throw new ApiError('refused', '', `${app}/${env} has no pods`, 404);
  const streams = chosen.flatMap((p) => (container === undefined ? p.containers : p.containers.filter((c) => c === container)).map((c) => ({ pod: p.name, container: c })));
  if (streams.length === 0) throw new ApiError('refused', '', `no pod of ${app}/${env} has a container ${container}`, 404);
  return streams;
}

async function podLogs(args: ParsedArgs, app: string, env: string, pod: string | undefined): Promise<number> {
  const follow = flagBool(args, 'follow');
  const container = flag(args, 'container');
  const tail = flag(args, 'tail');
  if (tail !== undefined && !/^\d+$/.test(tail)) throw new UsageError(`--tail must be a whole number, not "${tail}"`);
  const api = apiClient(args);
  const base = `/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}`;
  return apiCall('logs', async () => {
    const { items } = await api.getJson<{ items: PodItem[] }>(`${base}/pods`);
    const streams = streamsOf(app, env, items, pod, container);
    const query = (s: Stream): string => {
      const q = new URLSearchParams({ container: s.container });
      if (tail !== undefined) q.set('tailLines', tail);
      if (follow) q.set('follow', 'true');
      return `${base}/pods/${encodeURIComponent(s.pod)}/logs?${q}`;
    };
    const out = (text: string): void => void process.stdout.write(text);
    const one = async (api: ApiClient, s: Stream, signal?: AbortSignal): Promise<void> => {
      const lines = linePrefixer(streams.length > 1 ? `[${s.pod}/${s.container}] ` : '', out);
      try {
        await api.streamText(query(s), (t) => lines.push(t), signal);
      } finally {
        lines.flush();
      }
    };
    if (!follow) {
      for (const s of streams) await one(api, s);
      return;
    }
    // Following: every stream at once, until they all end or Ctrl-C.
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await Promise.all(streams.map((s) => one(api, s, abort.signal)));
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC);
  const build = flag(args, 'build');
  const pos = args.positionals;
  if (build !== undefined) {
    if (pos.length > 0) throw new UsageError('--build takes no APP or ENV');
    return buildLog(args, build);
  }
  // One argument has always been a build's ID; an app's pods take APP and ENV, so the forms never meet.
  if (pos.length === 1) return buildLog(args, pos[0]);
  if (pos.length === 2 || pos.length === 3) return podLogs(args, pos[0], pos[1], pos[2]);
  throw new UsageError('APP and ENV (and optionally POD), or --build ID, are required');
}

export const command: Command = {
  usage: USAGE,
  run,
};
