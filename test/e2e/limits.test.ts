/**
 * A 30 MiB values file pushed to the config repo, with the controller running as its own process
 * against the emulator: the app × env shows the ELIMIT error naming the file, the other app ×
 * envs keep syncing, /healthz keeps answering, and the controller's peak RSS stays under the
 * 512 MiB its own chart gives it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { e2eEnvironment, eventually, exampleFiles } from './harness.js';

const TOKEN = 'limits-e2e-token';

interface AppRow {
  app: string;
  env: string;
  syncStatus: string;
  message: string;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** Peak resident set of a process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A values file of `bytes` bytes of plain keys, the shape a generated values dump has. */
function bigValues(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = `key${i}: "value number ${i} with some padding text to fill the line"\n`;
    lines.push(l);
    size += l.length;
  }
  return lines.join('');
}

describe('render limits (e2e)', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();

  it('refuses a 30 MiB values file with ELIMIT, keeps the rest syncing and the controller under 512 MiB', async () => {
    const prefix = `lim${process.pid % 10000}`;
    const files = await exampleFiles(prefix);
    const bigPath = 'environments/dev/guestbook/values.yaml';
    files[bigPath] = bigValues(30 * 1024 * 1024);
    await env.git.createRepo(`${prefix}.git`, files);
    const port = await freePort();
    const { proc } = env.spawn(process.execPath, [
      resolve('dist/src/cli/main.js'), 'controller', '--repo', env.git.repoUrl(`${prefix}.git`), '--kubeconfig', env.cluster.kubeconfig,
      '--port', String(port), '--poll-interval', '500ms', '--state-namespace', `${prefix}-sluice`, '--cache-dir', join(env.dir, 'cache'), '--log-level', 'error',
    ], { env: { ...process.env, SLUICE_API_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'inherit'] });
    const pid = proc.pid as number;
    const api = async (path: string): Promise<unknown> => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return r.ok ? r.json() : undefined;
    };
    let peak = 0;
    const rows = await eventually('guestbook/dev refused and quotes/dev synced', async () => {
      peak = Math.max(peak, peakRssMiB(pid));
      const list = (await api('/api/v1/apps')) as AppRow[] | undefined;
      const big = list?.find((r) => r.app === 'guestbook' && r.env === 'dev');
      const other = list?.find((r) => r.app === 'quotes' && r.env === 'dev');
      return big?.syncStatus === 'Error' && other?.syncStatus === 'Synced' ? list : undefined;
    }, 90_000);
    const big = rows.find((r) => r.app === 'guestbook' && r.env === 'dev') as AppRow;
    assert.match(big.message, new RegExp(`values file ${bigPath} is 30\\.0 MiB, more than the limit of 8\\.0 MiB`));
    assert.ok(Buffer.byteLength(big.message) < 2200, `status message of ${Buffer.byteLength(big.message)} bytes`);
    assert.equal(rows.find((r) => r.app === 'guestbook' && r.env === 'test')?.syncStatus, 'Synced', 'guestbook/test renders from its own values');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    peak = Math.max(peak, peakRssMiB(pid));
    console.log(`      controller peak RSS (VmHWM): ${peak.toFixed(0)} MiB`);
    assert.ok(peak < 512, `controller peak RSS ${peak.toFixed(0)} MiB`);
  });
});
