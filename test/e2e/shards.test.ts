/**
 * Three `sluice controller --leader-elect --shards 4` processes against the emulator and a real git
 * server: the shards spread over the replicas (at most 2 each), every replica lists every app × env
 * from the AppEnvironment objects, a write sent to a non-owner is forwarded to the owner; then the
 * leader and a shard holder are killed with SIGKILL, the survivor takes the Lease and their shards
 * (times printed), deletes an AppEnvironment no longer declared as soon as it leads, syncs a pushed
 * change, and a SIGTERM releases everything. From the emulator's
 * request log (each replica's User-Agent names it): every write on an app × env came from the
 * replica whose shard Lease write was the last before it — no app × env had two writers at once.
 * Short timings: lease 5 s, renew deadline 4 s, retry 0.5 s (shorter ones lose Leases on a loaded machine).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestLogEntry } from '../../src/emulator/server.js';
import { APP_LABEL, APPENV_API_VERSION, APPENV_KIND, appEnvName } from '../../src/engine/appenv.js';
import { appEnvShard } from '../../src/engine/leader/shards.js';
import { K8sClusterClient, loadKubeConfig } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { cloneWorkdir } from '../support/git-workdir.js';
import { ADMIN_TOKEN, READ_TOKEN } from '../support/api-tokens.js';
import { stopChild } from '../support/child-processes.js';
import { e2eEnvironment, eventually, exampleFiles } from './harness.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const APPS = ['guestbook', 'quotes'];
const ENVS = ['dev', 'test', 'stage', 'prod'];
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Replica {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly logFile: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const holderOf = (lease: KubeObject | undefined): string => ((lease?.spec as { holderIdentity?: string } | undefined)?.holderIdentity ?? '');
/** `replica-a_1f2e…` → `replica-a`. */
const replicaOf = (identity: string): string => identity.replace(/_[0-9a-f]+$/, '');

describe('sharded replicas end to end', function () {
  this.timeout(240_000);
  const env = e2eEnvironment();
  const replicas: Replica[] = [];
  let dir: string;
  let stopListening: () => void = () => undefined;

  afterEach(async function () {
    // A failure shows the replicas' last log lines.
    if (this.currentTest?.state !== 'failed') return;
    for (const r of replicas) process.stdout.write(`--- ${r.name}\n${(await readFile(r.logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n')}\n`);
  });
  after(async () => {
    stopListening();
    await Promise.all(replicas.map((r) => stopChild(r, 'SIGKILL')));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('spreads shards over 3 replicas, survives SIGKILL of the leader and a shard holder, never two writers on one app × env', async function () {
    const emulator = env.cluster.emulator;
    // Skipped only against a real cluster (SLUICE_E2E_KUBECONFIG): which replica wrote what is read
    // from the emulator's request log, which a real API server does not expose.
    if (!emulator) this.skip();
    const prefix = `e2e${randomBytes(3).toString('hex')}`;
    const stateNs = `${prefix}-sluice`;
    dir = await mkdtemp(join(tmpdir(), `sluice-${prefix}-`));
    await env.git.createRepo(`${prefix}.git`, await exampleFiles(prefix));
    const work = await cloneWorkdir(env.git.repoUrl(`${prefix}.git`), join(dir, 'work'));
    const kube = new K8sClusterClient(loadKubeConfig({ kubeconfig: env.cluster.kubeconfig }));
    const lease = (name: string) => kube.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: stateNs, name });
    // Every write of the run, from the emulator's request listener (its requestLog is trimmed as it
    // grows, and three replicas renewing Leases every 0.5 s fill it within the run), put back in
    // arrival order below: listeners hear requests as they are answered.
    const seen: RequestLogEntry[] = [];
    stopListening = emulator.onRequest((e) => {
      if (e.userAgent?.startsWith('sluice (') && WRITES.has(e.method) && e.code < 300) seen.push(e);
    });
    // Both roles: reads go with the read-only token, writes (and their forwarding) with the admin one.
    const tokensDir = join(dir, 'tokens');
    await mkdir(tokensDir);
    await writeFile(join(tokensDir, 'admin'), `${ADMIN_TOKEN}\n`);
    await writeFile(join(tokensDir, 'readonly'), `${READ_TOKEN}\n`);

    const start = async (name: string): Promise<Replica> => {
      const port = await freePort();
      const logFile = join(dir, `${name}.log`);
      const { proc, exited } = env.spawn(process.execPath, [MAIN, 'controller', '--repo', env.git.repoUrl(`${prefix}.git`), '--kubeconfig', env.cluster.kubeconfig, '--port', String(port),
        '--poll-interval', '300ms', '--state-namespace', stateNs, '--cache-dir', join(dir, `cache-${name}`), '--log-level', 'info',
        '--leader-elect', '--shards', '4', '--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '4s', '--leader-elect-retry-period', '500ms'], {
        env: { ...process.env, POD_NAME: name, SLUICE_API_TOKEN: '', SLUICE_API_TOKENS_DIR: tokensDir, POD_IP: '127.0.0.1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      proc.stderr?.pipe(createWriteStream(logFile));
      const r = { name, port, url: `http://127.0.0.1:${port}`, proc, exited, logFile };
      replicas.push(r);
      return r;
    };
    const startedAt = Date.now();
    const [a, b, c] = [await start('replica-a'), await start('replica-b'), await start('replica-c')];
    const api = async (r: Replica, path: string, init: RequestInit = {}) => fetch(`${r.url}${path}`, { ...init, headers: { authorization: `Bearer ${init.method === 'POST' ? ADMIN_TOKEN : READ_TOKEN}`, 'content-type': 'application/json' } });
    const shardHolders = async () => Promise.all([0, 1, 2, 3].map(async (i) => replicaOf(holderOf(await lease(`sluice-shard-${i}`)))));

    // Every shard held, at most 2 per replica, every app × env Synced and Healthy in its AppEnvironment.
    const holders = await eventually('shards spread and every app × env synced', async () => {
      const h = await shardHolders();
      if (h.some((x) => !x) || [a, b, c].some((r) => h.filter((x) => x === r.name).length > 2)) return undefined;
      const list = await kube.list('sluice.dev/v1alpha1', 'AppEnvironment', { namespace: stateNs });
      const ok = list.length === 8 && list.every((o) => (o.status as { sync?: string; health?: string } | undefined)?.sync === 'Synced' && (o.status as { health?: string }).health === 'Healthy');
      return ok ? h : undefined;
    }, 90_000);
    const convergedMs = Date.now() - startedAt;

    // Every replica lists all 8 from the AppEnvironment objects, and answers the status of any app × env.
    for (const r of [a, b, c]) {
      await eventually(`${r.name} lists all app × envs`, async () => {
        const res = await api(r, '/api/v1/apps');
        if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
        const list = (await res.json()) as { app: string; env: string; syncStatus: string }[];
        if (list.length === 8 && list.every((x) => x.syncStatus === 'Synced')) return true;
        // What it listed instead shows in the timeout's message.
        throw new Error(JSON.stringify(list.map((x) => `${x.app}/${x.env}:${x.syncStatus}`)));
      });
      const one = (await (await api(r, '/api/v1/apps/quotes/prod')).json()) as { app: string; env: string; namespace: string };
      assert.deepEqual([one.app, one.env, one.namespace], ['quotes', 'prod', `${prefix}-prod`]);
    }
    // A sync sent to a replica that does not own guestbook/dev is forwarded to the one that does.
    const devOwner = holders[appEnvShard('guestbook', 'dev', 4)];
    const other = [a, b, c].find((r) => r.name !== devOwner) as Replica;
    // A 503 `not-owner` (a renewal late on this loaded machine: the owner holds the shard only within
    // the renew deadline of its last renewal) is to be retried, as its Retry-After says.
    await eventually('a forwarded sync answered', async () => {
      const sync = await api(other, '/api/v1/apps/guestbook/dev/sync', { method: 'POST', body: '{}' });
      if (sync.status === 200 || sync.status === 202) return true;
      const body = await sync.text();
      if (sync.status === 503 && body.includes('not-owner')) throw new Error(body);
      assert.fail(`forwarded sync answered ${sync.status}: ${body}`);
    });

    // An AppEnvironment no longer declared (left by a leader killed before its cleanup): the next
    // leader deletes it when it starts leading, not at the next config revision.
    const stray = { apiVersion: APPENV_API_VERSION, kind: APPENV_KIND, metadata: { name: appEnvName('gone', 'dev'), namespace: stateNs, labels: { [APP_LABEL]: 'gone' } }, spec: { app: 'gone', env: 'dev', namespace: `${prefix}-dev` } };
    await kube.apply(stray, { fieldManager: 'e2e', force: true });

    // SIGKILL the leader and a shard holder that is not the leader.
    const leader = replicaOf(holderOf(await lease('sluice-controller')));
    const holder = holders.find((h) => h !== leader) as string;
    const victims = [a, b, c].filter((r) => r.name === leader || r.name === holder);
    const survivor = [a, b, c].find((r) => !victims.includes(r)) as Replica;
    assert.equal(victims.length, 2);
    const killedAt = Date.now();
    for (const v of victims) v.proc.kill('SIGKILL');
    await Promise.all(victims.map((v) => v.exited));
    const leaderTakeover = await eventually('the survivor leads', async () => replicaOf(holderOf(await lease('sluice-controller'))) === survivor.name && Date.now() - killedAt, 30_000);
    const shardTakeover = await eventually('the survivor holds every shard', async () => (await shardHolders()).every((h) => h === survivor.name) && Date.now() - killedAt, 60_000);
    assert.ok(leaderTakeover <= 20_000, `leader takeover ${leaderTakeover} ms`);
    assert.ok(shardTakeover <= 40_000, `shard takeover ${shardTakeover} ms`);
    await eventually('the new leader deleted the stray AppEnvironment', async () => !(await kube.get({ apiVersion: APPENV_API_VERSION, kind: APPENV_KIND, namespace: stateNs, name: stray.metadata.name })), 10_000);

    // The survivor syncs a pushed change.
    const pushedAt = Date.now();
    await work.write('environments/dev/guestbook/values.yaml', 'greeting: "After shard failover"\n');
    await work.commitAndPush('dev: greeting after shard failover');
    await eventually('the change synced', async () => ((await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: `${prefix}-dev`, name: 'guestbook' }))?.data as Record<string, string> | undefined)?.greeting === 'After shard failover', 60_000);
    const syncMs = Date.now() - pushedAt;

    // SIGTERM: the survivor stops its work, releases the leader and shard Leases, and exits.
    const termAt = Date.now();
    survivor.proc.kill('SIGTERM');
    const code = await survivor.exited;
    const shutdownMs = Date.now() - termAt;
    assert.equal(code, 0, await readFile(survivor.logFile, 'utf8'));
    assert.deepEqual(await shardHolders(), ['', '', '', ''], 'shard Leases released');
    assert.equal(holderOf(await lease('sluice-controller')), '', 'leader Lease released');

    // No two writers on one app × env: each write came from the replica whose write of the shard's
    // Lease was the last one before it (the log is in arrival order).
    stopListening();
    const log = [...seen].sort((a, b) => a.seq - b.seq);
    const writer = (e: RequestLogEntry) => replicaOf(e.userAgent?.slice('sluice ('.length, -1) ?? '');
    const appEnvOf = (e: RequestLogEntry): string | undefined => {
      for (const app of APPS) {
        for (const envName of ENVS) {
          if (e.resource === 'appenvironments' && e.name === `${app}-${envName}`) return `${app}/${envName}`;
          if (e.namespace === `${prefix}-${envName}` && e.resource !== 'events' && e.name?.startsWith(app)) return `${app}/${envName}`;
          if (e.name?.includes(`.${app}.${envName}`)) return `${app}/${envName}`;
        }
      }
      return undefined;
    };
    const shardWriter = new Map<number, string>();
    const writers = new Map<string, Set<string>>();
    let checked = 0;
    for (const e of log) {
      // A Lease's first write is its create, whose path names only the collection.
      const lease = e.resource === 'leases' ? (e.name ?? e.createdName) : undefined;
      const shard = lease?.startsWith('sluice-shard-') ? Number(lease.slice('sluice-shard-'.length)) : undefined;
      if (shard !== undefined) {
        shardWriter.set(shard, writer(e));
        continue;
      }
      const key = appEnvOf(e);
      if (!key) continue;
      const [app, envName] = key.split('/');
      const owner = shardWriter.get(appEnvShard(app, envName, 4));
      assert.equal(writer(e), owner, `${e.method} ${e.path} by ${writer(e)} while ${owner} held the shard of ${key}`);
      if (!writers.has(key)) writers.set(key, new Set());
      writers.get(key)?.add(writer(e));
      checked++;
    }
    assert.ok(checked > 50, `${checked} writes checked`);
    assert.equal(writers.size, 8);
    // Shards lost for want of a renewal in time (a loaded machine): each costs a hand-over, never a second writer.
    const missed = (await Promise.all(replicas.map(async (r) => (await readFile(r.logFile, 'utf8')).split('\n').filter((l) => l.includes('"shards: lost"') && l.includes('no renewal within')).length))).reduce((x, y) => x + y, 0);
    process.stdout.write(`      3 replicas started and all synced in ${(convergedMs / 1000).toFixed(1)} s; takeover after SIGKILL of the leader and a shard holder: Lease ${(leaderTakeover / 1000).toFixed(1)} s, all shards ${(shardTakeover / 1000).toFixed(1)} s; pushed change synced in ${(syncMs / 1000).toFixed(1)} s; SIGTERM to exit ${(shutdownMs / 1000).toFixed(2)} s; ${checked} app × env writes checked; ${missed} shard renewals missed — lease 5 s, renew 4 s, retry 0.5 s\n`);
  });
});
