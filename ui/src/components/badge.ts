/**
 * Status badges: sync status and health as colour + text (never colour alone), the same classes
 * on every page (style.css: .badge.sync-*, .badge.health-*).
 */
import { h } from '../format.js';

export type BadgeKind = 'sync' | 'health' | 'phase';

export function badge(kind: BadgeKind, value: string): HTMLSpanElement {
  return h('span', { class: `badge ${kind}-${value.toLowerCase()}`, title: `${kind}: ${value}` }, value);
}

/** `<sluice-badge kind="sync" value="Synced">` for markup written by hand. */
export class SluiceBadge extends HTMLElement {
  static observedAttributes = ['kind', 'value'];
  connectedCallback(): void {
    this.render();
  }
  attributeChangedCallback(): void {
    this.render();
  }
  private render(): void {
    const kind = (this.getAttribute('kind') ?? 'sync') as BadgeKind;
    this.replaceChildren(badge(kind, this.getAttribute('value') ?? 'Unknown'));
  }
}
