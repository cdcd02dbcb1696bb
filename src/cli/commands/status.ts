/**
 * `sluice status APP [ENV]`: one app's environments — sync status, health, revision, the last sync
 * — and for one env its resource tree (what sluice renders and what that owns, down to pods, with
 * sync status and health), as `argocd app get` shows it. Exit 0, 1 when refused or unreachable,
 * 2 on usage.
 */
import { parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { formatTable, oneLine } from '../table.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';
import { outputFormat, print } from '../output.js';
import type { AppEnvStatus } from '../../engine/status.js';
import type { TreeNode } from '../../engine/tree.js';
import { ApiError, type ApiClient } from '../../server/client.js';
import { formatTree } from '../tables/tree.js';

const USAGE = `Usage: sluice status APP [ENV] [--server URL] [--token-file FILE] [-o table|json|yaml]

Without ENV: the app's environments side by side. With ENV: that environment's status and its
resource tree — each object sluice deploys with its sync status and health, and under it what it
owns (ReplicaSets, Pods, Jobs) with their health, ready containers, restarts and why they wait.
With -o json or yaml, ENV's status carries the tree as "tree" (the API's /tree nodes).

Flags:
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Examples:
  sluice status guestbook
  sluice status guestbook prod -o yaml`;

function envTable(list: readonly AppEnvStatus[]): string {
  return formatTable(['ENV', 'SYNC', 'HEALTH', 'REVISION', 'LAST SYNC', 'MESSAGE'], list.map((s) => [s.env, s.syncStatus, s.health, s.revision.slice(0, 7) || '-', s.lastSyncedAt ?? '-', oneLine(s.message) || '-']));
}

function detail(s: AppEnvStatus, tree: readonly TreeNode[] | undefined): string {
  const head = [`App:       ${s.app}`, `Env:       ${s.env} (namespace ${s.namespace})`, `Revision:  ${s.revision}`, `Sync:      ${s.syncStatus}`, `Health:    ${s.health}`, `Message:   ${oneLine(s.message) || '-'}`, ''];
  if (tree) return head.join('\n') + '\n' + formatTree(tree);
  const rows = s.resources.map((r) => [`${r.kind}/${r.name}`, r.namespace ?? '-', r.status, r.health, oneLine(r.message ?? '') || '-']);
  return head.join('\n') + '\n' + formatTable(['OBJECT', 'NAMESPACE', 'SYNC', 'HEALTH', 'MESSAGE'], rows);
}

/** The tree, or undefined from a server that has no tree yet (it answers 404 or 501 for the route). */
async function treeOf(api: ApiClient, path: string): Promise<TreeNode[] | undefined> {
  try {
    return (await api.getJson<{ nodes: TreeNode[] }>(`${path}/tree`)).nodes;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 501 || (err.status === 404 && err.message.startsWith('no such route')))) return undefined;
    throw err;
  }
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, output: { short: 'o' } });
  const [app, env, ...rest] = args.positionals;
  if (!app || rest.length > 0) throw new UsageError('APP is required, ENV is optional');
  const output = outputFormat(args);
  const api = apiClient(args);
  return apiCall('status', async () => {
    if (env) {
      const path = `/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}`;
      const one = await api.getJson<AppEnvStatus>(path);
      const tree = await treeOf(api, path);
      print(output, tree ? { ...one, tree } : one, () => detail(one, tree));
      return;
    }
    const list = (await api.getJson<AppEnvStatus[]>('/api/v1/apps')).filter((s) => s.app === app);
    if (list.length === 0) throw new ApiError('refused', api.base, `no app ${app} on this server`, 404);
    print(output, list, () => envTable(list));
  });
}

export const command: Command = { usage: USAGE, run };
