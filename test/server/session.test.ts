/** Web UI sessions (src/server/session.ts, login.ts, auth.ts): cookie login, roles, CSRF, expiry, logout. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { cookieValue, SessionStore } from '../../src/server/session.js';
import { FakeReleaseApi } from '../history/fake-release-api.js';
import { ADMIN_TOKEN, READ_TOKEN, testTokens } from '../support/api-tokens.js';
import { FakeClock } from '../support/fake-clock.js';

interface Login { cookie: string; csrf: string; role: string; setCookie: string }

describe('server/session', () => {
  let server: Server;
  let base: string;
  const clock = new FakeClock(Date.parse('2026-12-03T10:00:00Z'));
  const sessions = new SessionStore(clock, 60_000, 3);

  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, releases: new FakeReleaseApi(), sessions, uiDir: null }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function login(token: string): Promise<Login> {
    const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    assert.equal(res.status, 201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const body = (await res.json()) as { csrfToken: string; role: string };
    return { cookie: `sluice_session=${cookieValue(setCookie.split(';')[0], 'sluice_session')}`, csrf: body.csrfToken, role: body.role, setCookie };
  }

  const rollback = (headers: Record<string, string>) => fetch(`${base}/api/v1/apps/web/dev/rollback`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

  it('logs in with an API token: an HttpOnly, SameSite=Strict cookie and the role of the token', async () => {
    const admin = await login(ADMIN_TOKEN);
    assert.equal(admin.role, 'admin');
    assert.match(admin.setCookie, /^sluice_session=[A-Za-z0-9_-]{40,}; Max-Age=60; Path=\/; HttpOnly; SameSite=Strict$/);
    assert.doesNotMatch(admin.setCookie, new RegExp(ADMIN_TOKEN));
    assert.equal((await login(READ_TOKEN)).role, 'read');
    const who = (await (await fetch(`${base}/api/v1/session`, { headers: { cookie: admin.cookie } })).json()) as Record<string, unknown>;
    assert.deepEqual({ loggedIn: who.loggedIn, role: who.role, csrf: who.csrfToken }, { loggedIn: true, role: 'admin', csrf: admin.csrf });
    assert.deepEqual(await (await fetch(`${base}/api/v1/session`)).json(), { loggedIn: false });
  });

  it('refuses a wrong token, a missing one, and a login that is not JSON (a cross-site form)', async () => {
    const post = (body: string, type: string) => fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal((await post(JSON.stringify({ token: 'not-a-token-0123456789' }), 'application/json')).status, 401);
    assert.equal((await post('{}', 'application/json')).status, 401);
    assert.equal((await post(`token=${ADMIN_TOKEN}`, 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await post(JSON.stringify({ token: ADMIN_TOKEN }), 'text/plain')).status, 415);
  });

  it('reads with the cookie; writes with it only with the CSRF token, and only as admin', async () => {
    const admin = await login(ADMIN_TOKEN);
    const read = await login(READ_TOKEN);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie: read.cookie } })).status, 200);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie: 'sluice_session=forged' } })).status, 401);
    const noCsrf = await rollback({ cookie: admin.cookie });
    assert.equal(noCsrf.status, 403);
    assert.equal(((await noCsrf.json()) as { code: string }).code, 'csrf');
    assert.equal((await rollback({ cookie: admin.cookie, 'x-csrf-token': read.csrf })).status, 403);
    assert.equal((await rollback({ cookie: admin.cookie, 'x-csrf-token': admin.csrf })).status, 202);
    const readWrite = await rollback({ cookie: read.cookie, 'x-csrf-token': read.csrf });
    assert.equal(readWrite.status, 403);
    assert.equal(((await readWrite.json()) as { code: string }).code, 'forbidden');
  });

  it('lets a bearer token decide alone, cookie or not', async () => {
    const read = await login(READ_TOKEN);
    assert.equal((await rollback({ cookie: read.cookie, authorization: `Bearer ${ADMIN_TOKEN}` })).status, 202);
    assert.equal((await rollback({ authorization: `Bearer ${READ_TOKEN}` })).status, 403);
  });

  it('expires sessions after their time, and keeps at most the newest ones', async () => {
    const a = await login(ADMIN_TOKEN);
    await clock.advance(61_000);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie: a.cookie } })).status, 401);
    const logins = [await login(READ_TOKEN), await login(READ_TOKEN), await login(READ_TOKEN), await login(READ_TOKEN)];
    assert.equal(sessions.size, 3);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie: logins[0].cookie } })).status, 401);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie: logins[3].cookie } })).status, 200);
  });

  it('logs out: the session is gone on the server and the cookie is cleared', async () => {
    const a = await login(ADMIN_TOKEN);
    const out = await fetch(`${base}/api/v1/session`, { method: 'DELETE', headers: { cookie: a.cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^sluice_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict$/);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie: a.cookie } })).status, 401);
  });

  it('reads a cookie among others', () => {
    assert.equal(cookieValue('a=1; sluice_session=xyz; b=2', 'sluice_session'), 'xyz');
    assert.equal(cookieValue('sluice_session_old=1', 'sluice_session'), undefined);
    assert.equal(cookieValue(undefined, 'sluice_session'), undefined);
  });
});
