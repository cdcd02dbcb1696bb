/**
 * The app × env page in real headless Chromium against a real sluice (the emulator, whose
 * controllers make ReplicaSets and Pods, and a real git smart-HTTP server): the tree down to pods,
 * the diff, events and logs; a promotion previewed, committed and proposed on a branch in the git
 * repo; a rollback confirmed in the dialog that brings the Deployment's image back in the cluster;
 * a read-only session that sees no write button. Any browser console error fails the test.
 * Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, READ_TOKEN } from '../support/api-tokens.js';
import { git } from '../support/git-server.js';
import { e2eEnvironment, eventually, imageOf, startScenario, type Scenario } from '../e2e/harness.js';
import { browserUnavailable, launchBrowser, type BrowserSession } from '../support/browser.js';
import { logIn } from '../support/ui-session.js';

describe('app page in Chromium', function () {
  this.timeout(180_000);
  const env = e2eEnvironment();
  let s: Scenario;
  let browser: BrowserSession;

  before(async function () {
    // Skipped only where Chromium is missing outside CI; in CI browserUnavailable() throws instead.
    const skip = browserUnavailable();
    if (skip) {
      console.log(`      skipped: ${skip}`);
      return this.skip();
    }
    s = await startScenario(env.cluster, env.git, {
      files: (files) => {
        files['sluice.yaml'] = files['sluice.yaml'].replace(/(  - name: test\n)/, '$1    promotion: {direct: true}\n');
      },
    });
    browser = await launchBrowser();
    await eventually('guestbook Synced and Healthy in dev and test', () => ['dev', 'test'].every((e) => s.status('guestbook', e)?.syncStatus === 'Synced' && s.status('guestbook', e)?.health === 'Healthy'), 60_000);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });
  afterEach(() => {
    const errors = browser?.errors.splice(0) ?? [];
    assert.deepEqual(errors, [], 'no browser console errors');
  });

  async function open(token: string, path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 860 } });
    await logIn(page, s.sluice.url, token);
    await page.goto(`${s.sluice.url}/#${path}`);
    return page;
  }

  const image = async (e: string) => imageOf(await s.get('apps/v1', 'Deployment', s.ns(e), 'guestbook'));
  const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

  it('shows the resource tree down to ReplicaSets and Pods, with health and sync, navigable by keyboard', async () => {
    const page = await open(ADMIN_TOKEN, '/apps/guestbook/dev');
    const rows = page.locator('sluice-app-page .tree-row');
    await rows.filter({ hasText: 'Pod' }).first().waitFor({ timeout: 30_000 });
    const deployment = rows.filter({ has: page.locator('.kind', { hasText: /^Deployment$/ }) });
    await assert.doesNotReject(deployment.filter({ hasText: 'Healthy' }).filter({ hasText: 'Synced' }).first().waitFor());
    assert.equal(await deployment.first().getAttribute('aria-level'), '1');
    const rs = rows.filter({ has: page.locator('.kind', { hasText: /^ReplicaSet$/ }) }).first();
    assert.equal(await rs.getAttribute('aria-level'), '2');
    const pod = rows.filter({ has: page.locator('.kind', { hasText: /^Pod$/ }) }).first();
    assert.equal(await pod.getAttribute('aria-level'), '3');
    assert.match((await pod.textContent()) ?? '', /Healthy.*phase: Running/);
    for (const kind of ['ConfigMap', 'Service']) assert.equal(await rows.filter({ has: page.locator('.kind', { hasText: new RegExp(`^${kind}$`) }) }).count(), 1, kind);
    await page.locator('sluice-app-page .summary .sync-Synced').waitFor();
    await browser.screenshot(page, 'app-page-tree');
    // The README's picture: written only when asked (SLUICE_README_SCREENSHOTS=1), so test runs leave docs/ alone.
    if (process.env.SLUICE_README_SCREENSHOTS) await browser.screenshot(page, 'app-page', 'docs/images/app-page.png');

    // Keyboard: focus the tree, go to the Deployment, close it with ←: its ReplicaSets and Pods leave the DOM.
    await page.locator('.tree-viewport').focus();
    const deploymentIndex = Number(await deployment.first().getAttribute('data-index'));
    for (let i = 0; i < deploymentIndex; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('.tree-viewport').getAttribute('aria-activedescendant'), await deployment.first().getAttribute('id'));
    await page.keyboard.press('ArrowLeft');
    await eventually('pods hidden', async () => (await rows.filter({ has: page.locator('.kind', { hasText: /^Pod$/ }) }).count()) === 0);
    assert.equal(await deployment.first().getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('ArrowRight');
    await rows.filter({ has: page.locator('.kind', { hasText: /^Pod$/ }) }).first().waitFor();
  });

  it('shows the events and a pod log of the app × env', async () => {
    const page = await open(READ_TOKEN, '/apps/guestbook/dev');
    await tab(page, 'Events');
    await page.locator('table.events tr', { hasText: 'Synced' }).first().waitFor({ timeout: 30_000 });
    await tab(page, 'Logs');
    await eventually('a pod listed', async () => (await page.locator('.log-pod option').count()) > 0);
    await page.getByRole('checkbox', { name: 'Follow' }).uncheck();
    await page.getByRole('button', { name: 'Show logs' }).click();
    await eventually('log text', async () => ((await page.locator('.log-output').textContent()) ?? '').trim().length > 0);
    // Followed: the stream stays open until stopped.
    await page.getByRole('checkbox', { name: 'Follow' }).check();
    await page.getByRole('button', { name: 'Show logs' }).click();
    await page.locator('.log-state', { hasText: 'Following' }).waitFor();
    await eventually('followed log text', async () => ((await page.locator('.log-output').textContent()) ?? '').trim().length > 0);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.locator('.log-state', { hasText: 'stopped' }).waitFor();
    await tab(page, 'Builds');
    await page.locator('.builds-content', { hasText: /No builds of this app|Build/ }).waitFor({ timeout: 30_000 });
  });

  it('previews a promotion as the diff of the target, commits it, and proposes one on a branch', async () => {
    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  tag: "1.1.0"\n');
    const bumped = await s.work.commitAndPush('dev: guestbook 1.1.0');
    await eventually('dev Synced and Healthy on 1.1.0', async () => (await image('dev'))?.endsWith(':1.1.0') && s.status('guestbook', 'dev')?.revision === bumped && s.status('guestbook', 'dev')?.syncStatus === 'Synced' && s.status('guestbook', 'dev')?.health === 'Healthy' && s.status('guestbook', 'dev')?.operation?.phase === 'Succeeded', 60_000);

    const page = await open(ADMIN_TOKEN, '/apps/guestbook/dev');
    await tab(page, 'Promote');
    const target = page.locator('.promote-target');
    await target.waitFor();
    assert.deepEqual(await target.locator('option').allTextContents(), ['test', 'stage', 'prod']);
    await page.getByRole('button', { name: 'Preview the diff' }).click();
    const preview = page.locator('.promote-content');
    await preview.getByText('would change test').waitFor({ timeout: 30_000 });
    assert.match((await preview.textContent()) ?? '', /update Deployment\/\S+\/guestbook/);
    assert.match((await preview.locator('tr.add').allTextContents()).join('\n'), /1\.1\.0/);
    // Side by side, and one object collapsed.
    await tab(page, 'Diff');
    await page.getByLabel('Side by side').check();
    await tab(page, 'Promote');
    await preview.locator('table.diff.split').first().waitFor();
    await preview.locator('[data-diff-toggle="0"]').click();
    assert.equal(await preview.locator('[data-diff-toggle="0"]').getAttribute('aria-expanded'), 'false');
    await browser.screenshot(page, 'app-page-promote-preview');

    // A page on test's tree stays open: the promotion's rollout reaches it through the event stream, with no reload.
    const watcher = await open(READ_TOKEN, '/apps/guestbook/test');
    const testDeployment = watcher.locator('.tree-row', { has: watcher.locator('.kind', { hasText: /^Deployment$/ }) });
    await testDeployment.filter({ hasText: 'guestbook:1.0.0' }).waitFor({ timeout: 30_000 });
    const shifts = watcher.locator('.tree-viewport');
    const box = await shifts.boundingBox();

    await page.getByRole('button', { name: 'Commit to test' }).click();
    const done = await page.locator('.promote-content code.commit').textContent({ timeout: 30_000 });
    const head = await s.work.pull();
    assert.equal(head.slice(0, 7), done, 'the commit the UI shows is the head of main');
    assert.match(await s.work.read('environments/test/guestbook/image.yaml'), /tag: "?1\.1\.0"?/);
    await eventually('test runs 1.1.0', async () => (await image('test'))?.endsWith(':1.1.0'), 60_000);
    await testDeployment.filter({ hasText: 'guestbook:1.1.0' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await shifts.boundingBox(), box, 'the tree did not move while data streamed in');

    // stage takes pull requests: the branch appears in the repo, main is unchanged.
    await target.selectOption('stage');
    await page.getByRole('button', { name: 'Preview the diff' }).click();
    await preview.getByText('would change stage').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Open a pull request' }).click();
    const branch = await page.locator('.promote-content code.branch').textContent({ timeout: 30_000 });
    assert.equal(branch, 'promote/guestbook/stage/1.1.0');
    const remote = await git(s.work.dir, 'ls-remote', 'origin', `refs/heads/${branch}`);
    assert.match(remote, /^[0-9a-f]{40}\trefs\/heads\/promote\/guestbook\/stage\/1\.1\.0$/);
    assert.equal((await s.work.pull()).slice(0, 7), done, 'main did not move');
  });

  it('rolls back from the history after a confirmation, and the Deployment runs the old image again', async () => {
    const page = await open(ADMIN_TOKEN, '/apps/guestbook/dev');
    await tab(page, 'History');
    const back = page.getByRole('button', { name: 'Roll back to #1' });
    await back.waitFor({ timeout: 30_000 });
    assert.match(await image('dev') ?? '', /:1\.1\.0$/);
    // Cancel first: nothing happens.
    await back.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Roll back guestbook in dev to release #1?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.match(await image('dev') ?? '', /:1\.1\.0$/);

    await back.click();
    await browser.screenshot(page, 'app-page-rollback-dialog');
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
    await page.locator('.history-status', { hasText: 'Rollback started' }).waitFor({ timeout: 30_000 });
    await eventually('dev runs 1.0.0 again', async () => (await image('dev'))?.endsWith(':1.0.0'), 60_000);
    await page.locator('table.history td', { hasText: 'manual-rollback of #1 by web UI' }).first().waitFor({ timeout: 30_000 });
    await browser.screenshot(page, 'app-page-history');
  });

  it('shows a read-only session no write button (in dark mode)', async () => {
    const page = await open(READ_TOKEN, '/apps/guestbook/dev', 'dark');
    await page.locator('sluice-app-page .tree-row').first().waitFor({ timeout: 30_000 });
    await tab(page, 'History');
    await page.locator('table.history tbody tr').first().waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole('tab', { name: 'Promote' }).count(), 0, 'no Promote tab');
    await tab(page, 'Diff');
    await page.locator('.diff-content p').first().waitFor();
    assert.equal(await page.locator('[data-write], [data-rollback], [data-action^="promote-"], button.rollback, button.primary, button.danger, dialog').count(), 0, 'no write control, even hidden');
    const buttons = await page.locator('sluice-app-page button:visible').allTextContents();
    for (const b of buttons) assert.doesNotMatch(b, /roll ?back|commit|pull request|promote|sync/i, `read-only sees no write button (saw "${b}")`);
    await tab(page, 'History');
    await browser.screenshot(page, 'app-page-history-read-only-dark');
  });
});
