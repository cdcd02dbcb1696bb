/**
 * The promote panel (pure): the target envs offered from this env (every other env of the app,
 * the next one in promotion order first), and what a dry run or a promotion answered.
 */
import { html, shortSha, type Html } from './html.js';
import { renderAppDiff, type DiffMode } from './diff.js';
import type { PromotionAnswer } from './types.js';

/** Targets from `env` in promotion `order`: the envs after it (nearest first), then those before. */
export function promotionTargets(order: readonly string[], env: string): string[] {
  const at = order.indexOf(env);
  if (at < 0) return order.filter((e) => e !== env);
  return [...order.slice(at + 1), ...order.slice(0, at).reverse()];
}

export function renderPromotion(answer: PromotionAnswer, mode: DiffMode, collapsed: ReadonlySet<number>): Html {
  if (answer.mode === 'dry-run') {
    return html`<p>Promoting <code>${answer.tag}</code> from <strong>${answer.from}</strong> to <strong>${answer.to}</strong> would change ${answer.to}:</p>${renderAppDiff(answer.diff, mode, collapsed)}`;
  }
  if (answer.mode === 'direct') {
    return html`<p class="ok" role="status">Promotion ${answer.id}: <code>${answer.tag}</code> from ${answer.from} to ${answer.to} committed as <code class="commit">${shortSha(answer.commit)}</code>.${answer.note ? ` ${answer.note}` : ''}</p>`;
  }
  return html`<p class="ok" role="status">Promotion ${answer.id}: <code>${answer.tag}</code> from ${answer.from} to ${answer.to} proposed on branch <code class="branch">${answer.branch ?? ''}</code>${answer.url ? html`: <a href="${answer.url}" target="_blank" rel="noopener">pull request</a>` : ''}.${answer.note ? ` ${answer.note}` : ''}</p>`;
}
