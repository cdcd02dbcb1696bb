/** Logs a browser page in: POST /api/v1/session with an API token, so the page's context holds the session cookie. */
import type { Page } from 'playwright-core';

export async function logIn(page: Page, url: string, token: string): Promise<void> {
  const res = await page.request.post(`${url}/api/v1/session`, { data: { token }, headers: { 'content-type': 'application/json' } });
  if (!res.ok()) throw new Error(`login answered ${res.status()}: ${await res.text()}`);
}
