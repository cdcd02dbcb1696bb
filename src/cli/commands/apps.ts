/**
 * `sluice apps`: every app × env of a running sluice, each app's environments in promotion order,
 * with the image tag each runs, the revision the cluster runs (after a rollback, the release rolled
 * back to, not the commit git has) and the git revision beside it when they differ, sync status,
 * health and message. Exit 0, 1 when the server refused or could not be reached.
 */
import { parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { formatTable, oneLine } from '../table.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';
import { outputFormat, print } from '../output.js';
import type { AppEnvStatus } from '../../engine/status.js';
import type { EnvironmentItem } from '../../engine/app-views.js';
import { ApiError, type ApiClient } from '../../server/client.js';

const USAGE = `Usage: sluice apps [--server URL] [--token-file FILE] [-o table|json|yaml]

Lists every app × env, each app's environments in promotion order (as sluice.yaml lists them):
the image tag it runs, the config revision the cluster runs — after a rollback the one rolled
back to, with the git revision shown beside it as "(git SHA)" while they differ — sync status,
health and the status message.

Flags:
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Example:
  sluice apps -o json`;

/** A row of `GET /api/v1/apps`; `images` and `runningRevision` are absent from older servers. */
export interface AppRow {
  app: string;
  env: string;
  revision: string;
  syncStatus: string;
  health: string;
  lastSyncedAt: string | null;
  message: string;
  images?: string[];
  runningRevision?: string;
}

/** A row as `sluice apps` prints it (the API's, with what the cluster runs). */
export interface AppView extends AppRow {
  images: string[];
  /** Image tags the env runs, unique, in image order. */
  tags: string[];
  /** The config revision the cluster runs: git's when Synced, else the last sync's ('' when unknown). */
  runningRevision: string;
}

/** The tag of an image reference (a digest cut to 12 hex digits; `latest` when it names none). */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return `@${image.slice(at + 1).replace(/^sha256:/, '').slice(0, 12)}`;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

/** Rows ordered by app, then env in promotion order (envs sluice.yaml does not list last, by name), with what runs (pure). */
export function appViews(rows: readonly AppRow[], envOrder: readonly string[]): AppView[] {
  const rank = (env: string): number => {
    const i = envOrder.indexOf(env);
    return i < 0 ? envOrder.length : i;
  };
  return [...rows]
    .sort((a, b) => a.app.localeCompare(b.app) || rank(a.env) - rank(b.env) || a.env.localeCompare(b.env))
    .map((r) => {
      const images = r.images ?? [];
      // Synced: the cluster is what git renders. Otherwise it runs what the last sync applied (a rollback's release).
      const runningRevision = r.syncStatus === 'Synced' ? r.revision : (r.runningRevision ?? '');
      return { ...r, images, tags: [...new Set(images.map(imageTag))], runningRevision };
    });
}

export function formatApps(views: readonly AppView[]): string {
  const revision = (v: AppView): string => {
    const running = v.runningRevision.slice(0, 7) || '-';
    return v.revision && v.revision !== v.runningRevision ? `${running} (git ${v.revision.slice(0, 7)})` : running;
  };
  return formatTable(['APP', 'ENV', 'TAG', 'REVISION', 'SYNC', 'HEALTH', 'MESSAGE'], views.map((v) => [v.app, v.env, v.tags.join(',') || '-', revision(v), v.syncStatus, v.health, oneLine(v.message) || '-']));
}

/** The promotion order from the server; [] from one that cannot tell (envs then sort by name). */
async function envOrder(api: ApiClient): Promise<string[]> {
  try {
    return (await api.getJson<{ items: EnvironmentItem[] }>('/api/v1/environments')).items.map((e) => e.name);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 501)) return [];
    throw err;
  }
}

/** Rows from a server whose list lacks images and the running revision get them from each app × env's status. */
async function complete(api: ApiClient, rows: AppRow[]): Promise<AppRow[]> {
  if (rows.every((r) => r.images !== undefined && r.runningRevision !== undefined)) return rows;
  const out: AppRow[] = [];
  for (let i = 0; i < rows.length; i += 8) {
    out.push(...(await Promise.all(rows.slice(i, i + 8).map(async (r) => {
      const s = await api.getJson<AppEnvStatus>(`/api/v1/apps/${encodeURIComponent(r.app)}/${encodeURIComponent(r.env)}`);
      return { ...r, images: [...(s.images ?? [])], runningRevision: s.lastSync?.revision ?? '' };
    }))));
  }
  return out;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, output: { short: 'o' } });
  if (args.positionals.length > 0) throw new UsageError('sluice apps takes no arguments');
  const output = outputFormat(args);
  const api = apiClient(args);
  return apiCall('apps', async () => {
    const [rows, order] = await Promise.all([api.getJson<AppRow[]>('/api/v1/apps'), envOrder(api)]);
    const views = appViews(await complete(api, rows), order);
    print(output, views, () => formatApps(views));
  });
}

export const command: Command = { usage: USAGE, run };
