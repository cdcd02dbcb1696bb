/**
 * The emulator's watch as @kubernetes/client-node's Watch (and so sluice's reflector) relies on it:
 * label selectors, resuming from a resourceVersion, 410 Expired for a compacted one, BOOKMARKs when
 * allowed, a clean end of the stream, 400 for a malformed selector, and a change made by the real
 * kubectl arriving as MODIFIED.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kubectlPath } from '../support/tools.js';

const exec = promisify(execFile);

interface Write {
  apply?: string;
  delete?: string;
  namespace?: string;
  labels?: Record<string, string>;
  data?: Record<string, string>;
}

interface Case {
  name: string;
  namespaces?: string[];
  before: Write[];
  between?: Write[];
  query: { labelSelector?: string; namespace?: string; resourceVersion?: 'mark' | 'compacted' };
  after: Write[];
  events: string[];
}

const cases = parse(readFileSync(resolve('test/fixtures/emulator/watch-cases.yaml'), 'utf8')) as Case[];

function connect(emu: Emulator): { kc: KubeConfig; api: KubernetesObjectApi } {
  const kc = new KubeConfig();
  kc.loadFromString(emu.kubeconfig());
  return { kc, api: KubernetesObjectApi.makeApiClient(kc) };
}

async function write(api: KubernetesObjectApi, w: Write): Promise<void> {
  const metadata = { name: w.apply ?? w.delete, namespace: w.namespace ?? 'default', labels: w.labels };
  if (w.delete) await api.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
  else await api.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data: w.data ?? {} } as KubernetesObject, undefined, undefined, 'test', true, PatchStrategy.ServerSideApply);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The object written last to show a stream has said everything (see the cases loop). */
const MARKER = 'zz-marker';

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(10);
}

interface Stream {
  readonly lines: string[];
  readonly raw: { type: string; object: KubernetesObject & { code?: number; reason?: string } }[];
  ended: boolean;
  endError: unknown;
  abort(): void;
}

async function open(kc: KubeConfig, path: string, query: Record<string, string | boolean | undefined>): Promise<Stream> {
  const s: Stream = { lines: [], raw: [], ended: false, endError: undefined, abort: () => undefined };
  const ctl = await new Watch(kc).watch(path, query, (type, object: KubernetesObject & { code?: number; reason?: string }) => {
    s.raw.push({ type, object });
    s.lines.push(type === 'ERROR' ? `ERROR ${object.code} ${object.reason}` : `${type} ${object.metadata?.name}`);
  }, (err) => {
    s.ended = true;
    s.endError = err;
  });
  s.abort = () => ctl.abort();
  return s;
}

describe('emulator/watch', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const emu = await startEmulator();
      try {
        const { kc, api } = connect(emu);
        for (const ns of c.namespaces ?? []) await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
        for (const w of c.before) await write(api, w);
        const mark = (await api.list('v1', 'ConfigMap')).metadata?.resourceVersion;
        for (const w of c.between ?? []) await write(api, w);
        if (c.query.resourceVersion === 'compacted') emu.compact();
        const path = c.query.namespace ? `/api/v1/namespaces/${c.query.namespace}/configmaps` : '/api/v1/configmaps';
        const stream = await open(kc, path, { labelSelector: c.query.labelSelector, resourceVersion: c.query.resourceVersion ? mark : undefined });
        for (const w of c.after) await write(api, w);
        await until(() => stream.lines.length >= c.events.length || stream.ended);
        // Instead of sleeping to see that nothing more comes: a marker written last arrives after
        // every event still due (a watch delivers in resourceVersion order). It matches every query here.
        if (!stream.ended) {
          await write(api, { apply: MARKER, namespace: c.query.namespace, labels: { 'sluice.dev/app': 'web' } });
          await until(() => stream.lines.includes(`ADDED ${MARKER}`) || stream.ended);
          assert.ok(stream.lines.includes(`ADDED ${MARKER}`) || stream.ended, 'the marker arrived');
        }
        stream.abort();
        assert.deepEqual(stream.lines.filter((l) => l !== `ADDED ${MARKER}`), c.events);
        if (c.events[0]?.startsWith('ERROR')) assert.ok(stream.ended, 'the stream ends after an error event');
      } finally {
        await emu.close();
      }
    });
  }

  describe('stream behaviour', () => {
    let emu: Emulator;
    let kc: KubeConfig;
    let api: KubernetesObjectApi;

    before(async () => {
      emu = await startEmulator({ bookmarkIntervalMs: 50 });
      ({ kc, api } = connect(emu));
    });
    after(() => emu.close());

    it('sends BOOKMARKs with the current resourceVersion only when they are allowed', async () => {
      const plain = await open(kc, '/api/v1/configmaps', {});
      const marked = await open(kc, '/api/v1/configmaps', { allowWatchBookmarks: true });
      await write(api, { apply: 'bm', labels: { x: 'y' } });
      const current = (await api.list('v1', 'ConfigMap')).metadata?.resourceVersion;
      // Bookmarks sent before the write carry an older resourceVersion; wait for one after it.
      await until(() => marked.raw.some((e) => e.type === 'BOOKMARK' && e.object.metadata?.resourceVersion === current), 2000);
      plain.abort();
      marked.abort();
      const bookmark = marked.raw.filter((e) => e.type === 'BOOKMARK').at(-1);
      assert.equal(bookmark?.object.metadata?.resourceVersion, current);
      assert.equal(bookmark?.object.kind, 'ConfigMap');
      assert.ok(!plain.raw.some((e) => e.type === 'BOOKMARK'), 'no bookmark without allowWatchBookmarks');
    });

    it('ends open streams cleanly on closeWatches', async () => {
      const stream = await open(kc, '/api/v1/configmaps', { labelSelector: 'none' });
      emu.closeWatches();
      await until(() => stream.ended);
      assert.ok(stream.ended);
      assert.equal(stream.endError, null);
    });

    it('answers a malformed label selector with 400', async () => {
      const stream = await open(kc, '/api/v1/configmaps', { labelSelector: 'a in (' });
      await until(() => stream.ended);
      assert.equal((stream.endError as { statusCode?: number }).statusCode, 400);
      const res = await fetch(`${emu.url}/api/v1/configmaps?labelSelector=${encodeURIComponent('a in (')}`);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { reason: string }).reason, 'BadRequest');
    });

    it('delivers a kubectl patch as MODIFIED to a client-node watch', async function () {
      this.timeout(30_000);
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-watch-')), 'kubeconfig');
      await emu.writeKubeconfig(kubeconfig);
      await write(api, { apply: 'edited', labels: { 'sluice.dev/app': 'web' }, data: { k: '1' } });
      const stream = await open(kc, '/api/v1/configmaps', { labelSelector: 'sluice.dev/app=web', allowWatchBookmarks: true });
      await exec(kubectlPath(), ['--kubeconfig', kubeconfig, '-n', 'default', 'patch', 'configmap', 'edited', '--type=merge', '-p', '{"data":{"k":"2"}}']);
      await until(() => stream.raw.some((e) => e.type === 'MODIFIED'));
      stream.abort();
      const modified = stream.raw.find((e) => e.type === 'MODIFIED');
      assert.equal(modified?.object.metadata?.name, 'edited');
      assert.deepEqual((modified?.object as { data?: unknown }).data, { k: '2' });
      assert.ok(modified?.object.metadata?.managedFields?.some((f) => f.manager === 'kubectl-patch' || f.manager === 'kubectl'), 'kubectl recorded as a field manager');
    });
  });
});
