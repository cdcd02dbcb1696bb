/**
 * Forge clients against a local server that checks each request against the forge's documented
 * shape (test/fixtures/forge/pull-requests.yaml) and answers as the forge does; failures are ForgeErrors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { parse } from 'yaml';
import type { ForgeSpec } from '../../src/config/types.js';
import { ForgeError, forgeToken, openPullRequest } from '../../src/forge/pull-request.js';
import { listening } from '../support/cli.js';

interface Case { name?: string; forge: Omit<ForgeSpec, 'api'>; /** Where the API sits on the server; /api unless said. */ apiPath?: string; path: string; auth: Record<string, string>; body: Record<string, unknown>; answer: Record<string, unknown>; want: unknown }

describe('forge/pull-request', () => {
  const cases = parse(readFileSync(path.resolve('test/fixtures/forge/pull-requests.yaml'), 'utf8')) as Case[];
  let server: Server;
  let base: string;
  let expect: Case | undefined;
  let problems: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        const c = expect;
        problems = [];
        if (!c) return void res.writeHead(500).end();
        if (req.method !== 'POST') problems.push(`method ${req.method}`);
        if (req.url !== `${c.apiPath ?? '/api'}${c.path}`) problems.push(`path ${req.url}`);
        for (const [k, v] of Object.entries(c.auth)) if (req.headers[k] !== v) problems.push(`header ${k}: ${String(req.headers[k])}`);
        if (!String(req.headers['content-type']).startsWith('application/json')) problems.push('content-type');
        try {
          assert.deepEqual(JSON.parse(text), c.body);
        } catch {
          problems.push(`body ${text}`);
        }
        if (problems.length) return void res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ message: problems.join('; ') }));
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(c.answer));
      });
    }).listen(0, '127.0.0.1');
    base = await listening(server);
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const c of cases) {
    it(`${c.name ?? c.forge.type}: the documented request, and the pull request's URL from the answer`, async () => {
      expect = c;
      const pr = await openPullRequest({ ...c.forge, api: `${base}${c.apiPath ?? '/api'}` }, 'tok-123', { title: 'T', body: 'B', head: 'promote/web/prod/1.4.2', base: 'main' });
      assert.deepEqual(problems, []);
      assert.deepEqual(pr, c.want);
    });
  }

  it('a refusal or an unreachable forge is a ForgeError with the status', async () => {
    expect = cases[0];
    await assert.rejects(openPullRequest({ ...cases[0].forge, api: `${base}/api` }, 'wrong-token', { title: 'T', body: 'B', head: 'h', base: 'main' }), (e: unknown) => e instanceof ForgeError && e.status === 422);
    await assert.rejects(openPullRequest({ ...cases[0].forge, api: 'http://127.0.0.1:1' }, 't', { title: 'T', body: 'B', head: 'h', base: 'main' }, 2_000), (e: unknown) => e instanceof ForgeError && e.status === 0);
  });

  it('takes the token from SLUICE_FORGE_TOKEN without a token file, and refuses none', () => {
    const spec: ForgeSpec = { type: 'github', api: 'https://api.github.com', repo: 'a/b' };
    assert.equal(forgeToken(spec, { SLUICE_FORGE_TOKEN: ' t0k\n' }), 't0k');
    assert.throws(() => forgeToken(spec, {}), ForgeError);
  });
});
