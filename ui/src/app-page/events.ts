/** Events of the app × env and its objects (pure), newest first, filterable by object. */
import { ago, html, type Html } from './html.js';
import type { AppEvent } from './types.js';

export function eventObjectName(e: AppEvent): string {
  return `${e.object.kind}/${e.object.name}`;
}

export function filterEvents(events: readonly AppEvent[], filter: string): AppEvent[] {
  const f = filter.trim().toLowerCase();
  if (!f) return [...events];
  return events.filter((e) => `${eventObjectName(e)} ${e.reason} ${e.type} ${e.message}`.toLowerCase().includes(f));
}

export function renderEvents(events: readonly AppEvent[], now: number): Html {
  if (events.length === 0) return html`<p class="muted">No events.</p>`;
  return html`<table class="events"><thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Object</th><th scope="col">Message</th><th scope="col">Count</th><th scope="col">Last seen</th></tr></thead><tbody>${events.map(
    (e) => html`<tr class="event-${e.type}"><td><span class="badge event-${e.type}">${e.type}</span></td><td>${e.reason}</td><td>${eventObjectName(e)}</td><td class="message">${e.message}</td><td>${e.count}</td><td><time datetime="${e.lastTimestamp}" title="${e.lastTimestamp}">${ago(e.lastTimestamp, now)}</time></td></tr>`,
  )}</tbody></table>`;
}
