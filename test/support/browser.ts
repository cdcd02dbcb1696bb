/**
 * Headless Chromium for the web UI's tests and bench, driven by playwright-core. Each launch gets
 * a fresh profile and each page its own context (cookie jar); every console error, uncaught page error and failed request of its pages is
 * collected so a test can fail on any. Screenshots go to test-artifacts/ (gitignored), kept as
 * the run's artefacts.
 *
 * Without /usr/bin/chromium the tests skip with the reason, except in CI (`CI` set), where a
 * missing browser fails them: CI installs it (.ci/run).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = resolve('test-artifacts');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or undefined when they can; throws in CI without a browser. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM} and CI is set: the browser tests must run in CI (.ci/run installs the Debian chromium package)`);
  return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium); the web UI's browser tests are skipped`;
}

export interface BrowserSession {
  readonly browser: Browser;
  /** Console errors, page errors and failed requests seen so far, in order. */
  readonly errors: string[];
  newPage(options?: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }): Promise<Page>;
  /** Saves a PNG of `page` as test-artifacts/<name>.png and returns its path. */
  screenshot(page: Page, name: string, path?: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  // playwright-core starts Chromium on a new temporary user-data-dir of its own and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      const failure = r.failure()?.errorText ?? '';
      // Navigating away or closing aborts the event stream and pending fetches: not an error of the page.
      if (failure.includes('ERR_ABORTED')) return;
      errors.push(`request failed: ${r.method()} ${r.url()} ${failure}`);
    });
  };
  return {
    browser,
    errors,
    async newPage(options = {}) {
      // One context per page: its own cookie jar, so each page is its own logged-in user.
      const ctx = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: options.viewport ?? { width: 1280, height: 800 } });
      contexts.push(ctx);
      const page = await ctx.newPage();
      watch(page);
      return page;
    },
    async screenshot(page, name, path) {
      const file = path ?? join(ARTIFACTS_DIR, `${name}.png`);
      await mkdir(dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
    },
  };
}
