/**
 * `sluice logs` run as a real process against createApp with fake views and builds: an app's pods
 * (all, one, one container, a tail, followed), a build's log in both its forms, and the refusals.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { linePrefixer, streamsOf } from '../../src/cli/commands/logs.js';
import { testTokens } from '../support/api-tokens.js';
import { listening, runSluice } from '../support/cli.js';
import { fakeBuildApi } from '../build/fake-build-api.js';
import { FakeViewsApi, PODS } from '../server/fake-views-api.js';

interface Case { name: string; args: string[]; code: number; stdout?: string; stderr?: RegExp }

const CASES: Case[] = [
  { name: 'every pod and container, each line prefixed', args: ['web', 'dev'], code: 0, stdout: '[web-1/web] web-1/web line 1\n[web-1/web] web-1/web line 2\n[web-1/proxy] web-1/proxy line 1\n[web-1/proxy] web-1/proxy line 2\n[web-2/web] web-2/web line 1\n[web-2/web] web-2/web line 2\n' },
  { name: 'one pod with one container: as it is', args: ['web', 'dev', 'web-2'], code: 0, stdout: 'web-2/web line 1\nweb-2/web line 2\n' },
  { name: 'one container of every pod', args: ['web', 'dev', '-c', 'proxy'], code: 0, stdout: 'web-1/proxy line 1\nweb-1/proxy line 2\n' },
  { name: 'the last line of each', args: ['web', 'dev', 'web-1', '--tail', '1'], code: 0, stdout: '[web-1/web] web-1/web line 2\n[web-1/proxy] web-1/proxy line 2\n' },
  { name: 'followed until the stream ends, a split line kept whole', args: ['web', 'dev', 'web-2', '--follow'], code: 0, stdout: 'web-2/web line 1\nweb-2/web line 2\nweb-2/web followed\n' },
  { name: 'followed, one container of a pod', args: ['web', 'dev', 'web-1', '-f', '-c', 'web', '--tail=5'], code: 0, stdout: 'web-1/web line 1\nweb-1/web line 2\nweb-1/web followed\n' },
  { name: 'a pod the app does not have', args: ['web', 'dev', 'nope'], code: 1, stderr: /^sluice logs: web\/dev has no pod nope \(its pods: web-1, web-2\)\n$/ },
  { name: 'a container no pod has', args: ['web', 'dev', '-c', 'nope'], code: 1, stderr: /no pod of web\/dev has a container nope/ },
  { name: 'an unknown env', args: ['web', 'prod'], code: 1, stderr: /app web has no environment prod/ },
  { name: 'a bad tail', args: ['web', 'dev', '--tail', 'x'], code: 2, stderr: /--tail must be a whole number/ },
  { name: 'a build by --build', args: ['--build', 'b1'], code: 0, stdout: 'INFO Retrieving image\nerror building image\n' },
  { name: 'a build by its ID alone, as before', args: ['b1'], code: 0, stdout: 'INFO Retrieving image\nerror building image\n' },
  { name: 'a build cannot be followed', args: ['--build', 'b1', '--follow'], code: 2, stderr: /--follow is for an app's pods/ },
  { name: '--build with APP', args: ['web', '--build', 'b1'], code: 2, stderr: /--build takes no APP or ENV/ },
  { name: 'too many arguments', args: ['a', 'b', 'c', 'd'], code: 2 },
];

describe('cli/logs', () => {
  const views = new FakeViewsApi();
  let server: Server;
  let url: string;
  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, builds: fakeBuildApi, views }).listen(0, '127.0.0.1');
    url = await listening(server);
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const c of CASES) {
    it(c.name, async () => {
      const got = await runSluice(['logs', ...c.args, '--server', url]);
      assert.equal(got.code, c.code, `stdout: ${got.stdout}\nstderr: ${got.stderr}`);
      if (c.stdout !== undefined) assert.equal(got.stdout, c.stdout);
      if (c.stderr !== undefined) assert.match(got.stderr, c.stderr);
    });
  }

  it('asks the server for the container, tail and follow given', async () => {
    views.logRequests.splice(0);
    await runSluice(['logs', 'web', 'dev', 'web-2', '--tail', '3', '-f', '--server', url]);
    assert.deepEqual(views.logRequests, [{ pod: 'web-2', container: 'web', tailLines: 3, follow: true }]);
  });

  it('prefixes whole lines only, however the text arrives', () => {
    const out: string[] = [];
    const p = linePrefixer('[a] ', (t) => out.push(t));
    for (const piece of ['one\ntw', 'o\n', '', 'thr', 'ee']) p.push(piece);
    p.flush();
    assert.equal(out.join(''), '[a] one\n[a] two\n[a] three\n');
    const raw: string[] = [];
    const q = linePrefixer('', (t) => raw.push(t));
    q.push('as it comes');
    assert.deepEqual(raw, ['as it comes']);
  });

  it('chooses the streams: every container, or those asked for', () => {
    assert.deepEqual(streamsOf('web', 'dev', PODS, undefined, undefined).map((s) => `${s.pod}/${s.container}`), ['web-1/web', 'web-1/proxy', 'web-2/web']);
    assert.deepEqual(streamsOf('web', 'dev', PODS, 'web-1', 'proxy').map((s) => `${s.pod}/${s.container}`), ['web-1/proxy']);
    assert.throws(() => streamsOf('web', 'dev', [], undefined, undefined), /web\/dev has no pods/);
  });
});
