/**
 * Promotion end to end: a direct promotion where the env allows it, a promotion by pull request
 * (branch pushed to the real git server, the request sent to a local GitHub-shaped API), merged
 * with git as a person would, and the target synced — with the state visible in the API.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { git } from '../support/git-server.js';
import { listening, runSluice } from '../support/cli.js';
import { ADMIN } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, imageOf, startScenario, type Scenario } from './harness.js';

describe('promotion end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;
  let forge: Server;
  let api: string;
  const pulls: { path: string; auth: string; body: Record<string, unknown> }[] = [];

  before(async () => {
    forge = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        pulls.push({ path: req.url ?? '', auth: String(req.headers.authorization), body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ html_url: `https://github.example.com/acme/config/pull/${pulls.length}`, number: pulls.length }));
      });
    }).listen(0, '127.0.0.1');
    api = await listening(forge);
  });
  after(async () => {
    await s?.close();
    await new Promise<void>((r) => forge.close(() => r()));
  });

  it('promotes directly, and by a pull request merged with git', async () => {
    const tokenFile = join(env.dir, 'forge-token');
    await writeFile(tokenFile, 'forge-token-0123456789\n');
    s = await startScenario(env.cluster, env.git, {
      files: (files) => {
        files['sluice.yaml'] =
          files['sluice.yaml'].replace(/(  - name: test\n)/, '$1    promotion: {direct: true}\n').replace(/(  - name: prod\n)/, '$1    promotion: {autoPromote: {from: stage, after: 1s}}\n') +
          `forge: {type: github, api: "${api}", repo: acme/config, tokenFile: "${tokenFile}"}\n`;
      },
    });
    await eventually('all Synced', () => s.sluice.status.list().length === 8 && s.sluice.status.list().every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy'), 60_000);
    const sluice = (...args: string[]) => runSluice([...args, '--server', s.sluice.url]);
    const image = async (e: string) => imageOf(await s.get('apps/v1', 'Deployment', s.ns(e), 'guestbook'));

    // A new tag in dev, then promoted straight into test (test allows direct promotions).
    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  tag: "1.1.0"\n');
    const bumped = await s.work.commitAndPush('dev: guestbook 1.1.0');
    // Settled: the sync of that commit finished and the rollout is Healthy (not a status from before it).
    const settled = (e: string, sha: (x: string) => boolean) => {
      const st = s.status('guestbook', e);
      return !!st && sha(st.revision) && st.syncStatus === 'Synced' && st.health === 'Healthy' && st.operation?.phase === 'Succeeded';
    };
    await eventually('dev Synced and Healthy on 1.1.0', async () => (await image('dev'))?.endsWith(':1.1.0') && settled('dev', (r) => r === bumped));
    const dry = await sluice('promote', 'guestbook', '--to', 'test', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Promoting 1\.1\.0 from dev to test would change:\nguestbook\/test at \w{7}: \d+ to apply, 0 to prune$/m);
    assert.match(dry.stdout, /~ update Deployment\/\S+\/guestbook\n[\s\S]*1\.1\.0/);
    const direct = await sluice('promote', 'guestbook', '--to', 'test', '--direct');
    assert.equal(direct.code, 0, direct.stderr);
    assert.match(direct.stdout, /^Promotion 1: guestbook 1\.1\.0 from dev to test committed as \w{7}\.$/m);
    const promoted = /committed as (\w{7})/.exec(direct.stdout)?.[1] ?? '';
    await eventually('test runs 1.1.0', async () => (await image('test'))?.endsWith(':1.1.0') && settled('test', (r) => r.startsWith(promoted)));

    // stage does not take direct promotions; by default it gets a branch and a pull request.
    const refused = await sluice('promote', 'guestbook', '--to', 'stage', '--direct');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /stage does not take direct promotions/);
    const proposed = await sluice('promote', 'guestbook', '--to', 'stage');
    assert.equal(proposed.code, 0, proposed.stderr);
    assert.match(proposed.stdout, /proposed on branch promote\/guestbook\/stage\/1\.1\.0: https:\/\/github\.example\.com\/acme\/config\/pull\/1\./);
    assert.deepEqual(pulls.map((p) => [p.path, p.auth, p.body.head, p.body.base, p.body.title]), [['/repos/acme/config/pulls', 'Bearer forge-token-0123456789', 'promote/guestbook/stage/1.1.0', 'main', 'Promote guestbook 1.1.0 from test to stage']]);
    assert.match(await image('stage') ?? '', /:1\.0\.0$/, 'nothing deployed before the merge');
    // The pull request carries what stage renders now vs after, and what the merge changes in the cluster.
    const prBody = String(pulls[0].body.body);
    assert.match(prBody, /### What stage renders: now → after the merge\n/);
    assert.match(prBody, /^-\s+image: \S+:1\.0\.0\n\+\s+image: \S+:1\.1\.0$/m);
    assert.match(prBody, /### What the merge changes in the cluster: stage live → after\n\n\d+ to apply, 0 to prune\./);
    assert.match(prBody, /^~ update Deployment\/\S+\/guestbook$/m);
    assert.ok(prBody.endsWith(`Full diff, live: ${s.sluice.url}/#/apps/guestbook/stage\n`), prBody.slice(-200));

    // A person merges the pull request; the controller syncs stage.
    await s.work.pull();
    await git(s.work.dir, 'fetch', '-q', 'origin', 'promote/guestbook/stage/1.1.0');
    await git(s.work.dir, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #1', 'FETCH_HEAD');
    await s.work.push();
    await eventually('stage runs 1.1.0', async () => (await image('stage'))?.endsWith(':1.1.0') && s.status('guestbook', 'stage')?.syncStatus === 'Synced');
    // prod promotes itself from stage once stage has been Healthy on 1.1.0 for a second: a pull request.
    await eventually('the auto-promotion pull request', () => pulls.length === 2, 30_000);
    assert.deepEqual([pulls[1].body.head, pulls[1].body.title], ['promote/guestbook/prod/1.1.0', 'Promote guestbook 1.1.0 from stage to prod']);
    assert.match(String(pulls[1].body.body), /Proposed by sluice for sluice:auto-promote/);
    const list = await eventually('promotions and their state', async () => {
      const res = await fetch(`${s.sluice.url}/api/v1/promotions`, { headers: ADMIN });
      const body = (await res.json()) as { id: number; to: string; mode: string; state: string }[];
      return body.length === 3 && body[1].state === 'synced' && body[2].state === 'synced' ? body : undefined;
    });
    assert.deepEqual(list.map((p) => [p.id, p.to, p.mode, p.state]), [[3, 'prod', 'pull-request', 'proposed'], [2, 'stage', 'pull-request', 'synced'], [1, 'test', 'direct', 'synced']]);
    const events = await s.kubectl('get', 'events', '-n', `${s.prefix}-sluice`, '-l', 'sluice.dev/app=guestbook,sluice.dev/env=test', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
    assert.match(events, /^Promoted: 1\.1\.0 from dev committed as \w{7} by cli:/m);
    const again = await sluice('promote', 'guestbook', '--to', 'stage');
    assert.equal(again.code, 1, 'stage already runs 1.1.0');
  });
});
