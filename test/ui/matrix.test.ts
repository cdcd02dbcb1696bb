/**
 * The web UI in real headless Chromium against a real sluice (emulator + git smart-HTTP server):
 * the environment matrix shows what the API says, cells change live through the event stream
 * (no reload), a read-only login sees no write button and its writes are refused, and logout
 * ends the session. Every test fails on any browser console error. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN, ADMIN_TOKEN, READ_TOKEN } from '../support/api-tokens.js';
import { browserUnavailable, launchBrowser, type BrowserSession } from '../support/browser.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from '../e2e/harness.js';

type CellView = [app: string, env: string, sync: string, health: string, sha: string, tag: string];

const CELLS = `[...document.querySelectorAll('.mcell[data-app]')].map((e) => [e.dataset.app, e.dataset.env, e.dataset.sync, e.dataset.health, e.querySelector('.sha')?.textContent ?? '', e.querySelector('.tag')?.textContent ?? ''])`;
const cellSync = (app: string, env: string) => `(document.querySelector('.mcell[data-app="${app}"][data-env="${env}"]')?.dataset.sync ?? '')`;

/** The example with env `test` synced only by hand: its cells stay OutOfSync until a sync. */
function manualTestEnv(sluiceYaml: string): string {
  const out = sluiceYaml.replace(/(- name: test\n(?:.*\n){2}\s+syncPolicy: \{)auto: true/, '$1auto: false');
  assert.notEqual(out, sluiceYaml, 'the example names env test with auto: true');
  return out;
}

describe('web UI in Chromium: matrix, live updates, roles, logout', function () {
  this.timeout(180_000);
  let s: Scenario | undefined;
  let b: BrowserSession | undefined;
  let admin: Page | undefined;
  // Registered first so it runs before the environment's own after hook stops the cluster.
  after(async () => {
    await b?.close();
    await s?.close();
  });
  before(function () {
    // Throws in CI without Chromium: there the tests must run.
    const unavailable = browserUnavailable();
    if (unavailable) {
      console.log(`      skipped: ${unavailable}`);
      this.skip();
    }
  });
  const env = e2eEnvironment();
  before(async () => {
    s = await startScenario(env.cluster, env.git, { files: (f) => (f['sluice.yaml'] = manualTestEnv(f['sluice.yaml'])) });
    const sc = s;
    await eventually('dev, stage and prod Synced and Healthy; test not synced', () => {
      const list = sc.sluice.status.list();
      return list.length === 8 && list.every((x) => (x.env === 'test' ? x.syncStatus === 'OutOfSync' : x.syncStatus === 'Synced' && x.health === 'Healthy'));
    }, 90_000);
    b = await launchBrowser();
  });

  const scenario = (): Scenario => {
    assert.ok(s);
    return s;
  };
  const browser = (): BrowserSession => {
    assert.ok(b);
    return b;
  };
  /** Fails on any console error, page error or failed request seen so far. */
  const noBrowserErrors = (): void => assert.deepEqual(browser().errors.splice(0), []);

  async function login(token: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await browser().newPage({ colorScheme });
    await page.goto(`${scenario().sluice.url}/`);
    await page.waitForSelector('#token');
    assert.match(page.url(), /#\/login/);
    await page.fill('#token', token);
    await page.press('#token', 'Enter');
    await page.waitForSelector('sluice-matrix[data-state="ready"] .mcell[data-app]');
    return page;
  }

  async function cookieOf(page: Page): Promise<string> {
    const c = (await page.context().cookies()).find((x) => x.name === 'sluice_session');
    assert.ok(c, 'the login set the session cookie');
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Strict');
    return `sluice_session=${c.value}`;
  }

  /** A manual sync through the API, as a person (or the app page) starts one; 202 when it started. */
  const sync = async (app: string, envName: string): Promise<string> => {
    const res = await fetch(`${scenario().sluice.url}/api/v1/apps/${app}/${envName}/sync`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '{}' });
    return `${res.status} ${res.status === 202 ? '' : await res.text()}`.trim();
  };

  /** Waits for a cell's sync status, read from the page (page.waitForFunction would need eval, which the CSP forbids). */
  const cellBecomes = (page: Page, app: string, envName: string, value: string) => eventually(`${app}/${envName} shown ${value}`, async () => (await page.evaluate(cellSync(app, envName))) === value, 60_000);

  /** The admin's page, logged in once and shared by the tests (each also runs alone, e.g. with --grep). */
  const adminPage = async (): Promise<Page> => (admin ??= await login(ADMIN_TOKEN));

  it('renders the matrix: envs in promotion order, each cell as the API has it', async () => {
    const admin = await adminPage();
    const heads = (await admin.locator('.mhead [role="columnheader"]').allTextContents()).map((t) => t.trim());
    assert.deepEqual(heads, ['App', 'dev', 'test', 'stage', 'prod']);
    const expected = scenario()
      .sluice.status.list()
      .map((x): CellView => [x.app, x.env, x.syncStatus, x.health, (x.lastSync?.revision ?? x.revision).slice(0, 7), x.env === 'test' ? '—' : x.app === 'guestbook' ? '1.0.0' : '2.1.0']);
    const order = (v: CellView) => `${v[0]}/${['dev', 'test', 'stage', 'prod'].indexOf(v[1])}`;
    await eventually('the matrix shows every app × env as the API does', async () => {
      const shown = ((await admin.evaluate(CELLS)) as CellView[]).sort((x, y) => order(x).localeCompare(order(y)));
      assert.deepEqual(shown, expected.sort((x, y) => order(x).localeCompare(order(y))));
      return true;
    });
    assert.deepEqual(new Set(expected.map((c) => `${c[1]}:${c[2]}`)), new Set(['dev:Synced', 'test:OutOfSync', 'stage:Synced', 'prod:Synced']));
    assert.equal(await admin.locator('.role').textContent(), 'admin');
    await browser().screenshot(admin, 'matrix-light');
    noBrowserErrors();
  });

  it('turns a cell OutOfSync → Synced live after a values commit and a sync, without a reload', async () => {
    const sc = scenario();
    const admin = await adminPage();
    // Marks this document: a reload would lose the mark. The observer records every sync status the cell shows.
    await admin.evaluate(`window.__sluiceMark = 'same-document'; window.__seen = [];
      new MutationObserver(() => { const v = ${cellSync('guestbook', 'test')}; if (v && window.__seen.at(-1) !== v) window.__seen.push(v); })
        .observe(document.querySelector('.mscroll'), { childList: true, subtree: true, attributes: true });
      window.__seen.push(${cellSync('guestbook', 'test')});`);
    assert.equal(await sync('guestbook', 'test'), '202');
    await cellBecomes(admin, 'guestbook', 'test', 'Synced');
    await sc.work.write('environments/test/guestbook/values.yaml', 'greeting: "Hi from test, live"\n');
    const head = await sc.work.commitAndPush('test: new greeting');
    await cellBecomes(admin, 'guestbook', 'test', 'OutOfSync');
    assert.equal(await sync('guestbook', 'test'), '202');
    await cellBecomes(admin, 'guestbook', 'test', 'Synced');
    await eventually('the cell shows the commit it runs', async () => (await admin.locator('.mcell[data-app="guestbook"][data-env="test"] .sha').textContent()) === String(head).slice(0, 7));
    const seen = (await admin.evaluate('window.__seen')) as string[];
    assert.deepEqual(seen.filter((v, i) => v !== seen[i - 1]), ['OutOfSync', 'Synced', 'OutOfSync', 'Synced']);
    assert.equal(await admin.evaluate('window.__sluiceMark'), 'same-document');
    noBrowserErrors();
  });

  it('shows a read-only login no write button, and the server refuses its writes (403)', async () => {
    // An admin sees the Sync button of an app × env page: the button exists to be hidden.
    const admin = await adminPage();
    await admin.goto(`${scenario().sluice.url}/#/apps/guestbook/dev`);
    await admin.waitForSelector('sluice-app-page .summary .badge');
    assert.ok((await admin.locator('[data-write]').count()) > 0);
    const reader = await login(READ_TOKEN, 'dark');
    assert.equal(await reader.locator('.role').textContent(), 'read-only');
    assert.equal(await reader.locator('[data-write]').count(), 0);
    await reader.goto(`${scenario().sluice.url}/#/apps/guestbook/dev`);
    await reader.waitForSelector('sluice-app-page .summary .badge');
    assert.equal(await reader.locator('[data-write]').count(), 0);
    await browser().screenshot(reader, 'app-page-read-only-dark');
    // The same write the admin's button makes, with the read-only session's cookie and CSRF token.
    const cookie = await cookieOf(reader);
    const who = (await (await fetch(`${scenario().sluice.url}/api/v1/session`, { headers: { cookie } })).json()) as { role: string; csrfToken: string };
    assert.equal(who.role, 'read');
    const res = await fetch(`${scenario().sluice.url}/api/v1/apps/guestbook/dev/sync`, { method: 'POST', headers: { cookie, 'x-csrf-token': who.csrfToken, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 403);
    noBrowserErrors();
    await reader.context().close();
  });

  it('logs out: back to the login page, and the old session cookie no longer opens the API', async () => {
    const admin = await adminPage();
    await admin.goto(`${scenario().sluice.url}/#/`);
    await admin.waitForSelector('sluice-matrix[data-state="ready"]');
    const cookie = await cookieOf(admin);
    await admin.click('button.logout');
    await admin.waitForSelector('#token');
    assert.equal((await admin.context().cookies()).filter((c) => c.name === 'sluice_session').length, 0);
    assert.equal((await fetch(`${scenario().sluice.url}/api/v1/apps`, { headers: { cookie } })).status, 401);
    // Reloading after logout stays on the login page.
    await admin.reload();
    await admin.waitForSelector('#token');
    noBrowserErrors();
  });
});
