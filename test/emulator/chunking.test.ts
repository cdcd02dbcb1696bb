/**
 * Chunked lists as the real kubectl reads them: `kubectl get -A --chunk-size=N` follows continue
 * tokens page by page and prints every object once, in the API server's order.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Obj } from '../../src/emulator/store.js';
import { kubectlPath } from '../support/tools.js';

const exec = promisify(execFile);

describe('emulator/chunking', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let kubeconfig: string;

  before(async () => {
    emu = await startEmulator();
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-chunks-')), 'kubeconfig');
    await emu.writeKubeconfig(kubeconfig);
    const write = async (path: string, body: unknown) => {
      const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 201, await res.text());
    };
    for (const ns of ['zeta', 'alpha']) await write('/api/v1/namespaces', { metadata: { name: ns } });
    for (const [ns, name] of [['zeta', 'b'], ['alpha', 'c'], ['alpha', 'a'], ['default', 'x'], ['zeta', 'a']]) await write(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name }, data: { k: name } });
  });
  after(() => emu.close());

  const cases: { chunk: number; lists: number }[] = [
    { chunk: 2, lists: 3 },
    { chunk: 5, lists: 1 },
    { chunk: 1, lists: 5 },
  ];
  for (const c of cases) {
    it(`kubectl get cm -A --chunk-size=${c.chunk} pages through every ConfigMap in ${c.lists} request(s)`, async () => {
      const before = emu.requestLog.filter((e) => e.verb === 'list' && e.resource === 'configmaps').length;
      const { stdout } = await exec(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'cm', '-A', `--chunk-size=${c.chunk}`, '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name', '--no-headers']);
      const rows = stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join('/'));
      assert.deepEqual(rows, ['alpha/a', 'alpha/c', 'default/x', 'zeta/a', 'zeta/b']);
      const lists = emu.requestLog.filter((e) => e.verb === 'list' && e.resource === 'configmaps').length - before;
      assert.equal(lists, c.lists);
    });
  }

  // kubectl's default output asks for a server-side Table: its ListMeta must carry the paging too.
  it('kubectl get cm -A --chunk-size=2 with the server-side table prints every ConfigMap', async () => {
    const { stdout } = await exec(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'cm', '-A', '--chunk-size=2', '--no-headers']);
    const rows = stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 2).join('/'));
    assert.deepEqual(rows, ['alpha/a', 'alpha/c', 'default/x', 'zeta/a', 'zeta/b']);
  });

  it('keeps serving the next page when objects change between pages', async () => {
    const get = async (q: string) => (await (await fetch(`${emu.url}/api/v1/configmaps?${q}`)).json()) as { metadata: { continue?: string; remainingItemCount?: number }; items: Obj[] };
    const first = await get('limit=2');
    assert.deepEqual(first.items.map((o) => o.metadata.name), ['a', 'c']);
    assert.equal(first.metadata.remainingItemCount, 3);
    const res = await fetch(`${emu.url}/api/v1/namespaces/alpha/configmaps/c`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    const second = await get(`limit=2&continue=${encodeURIComponent(first.metadata.continue ?? '')}`);
    assert.deepEqual(second.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['default/x', 'zeta/a']);
  });
});
