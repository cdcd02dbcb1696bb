/** Headless Chromium for the app page's tests and bench (until the shell's browser support lands). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, headless: true });
  const browser = context.browser();
  if (!browser) throw new Error('no browser');
  browser.on('disconnected', () => void rm(dir, { recursive: true, force: true }));
  return browser;
}

/** A browser context logged in with `token` (the session cookie set by POST /api/v1/session). */
export async function loginContext(browser: Browser, url: string, token: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: url });
  const res = await context.request.post(`${url}/api/v1/session`, { data: { token }, headers: { 'content-type': 'application/json' } });
  if (!res.ok()) throw new Error(`login answered ${res.status()}: ${await res.text()}`);
  return context;
}
