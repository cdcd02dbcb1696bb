/**
 * A promotion, planned from a config revision (pure): the source env (default: the one before the
 * target in the app's order), the image tag the source runs, the files to write in the target —
 * its image.yaml tag, and the values keys the target env's policy lists, copied from the source's
 * values.yaml — the branch name for a pull request, and the commit message.
 */
import { isMap, parseDocument, Scalar } from 'yaml';
import { setImageTag } from '../build/bump.js';
import { tagOf } from '../build/config.js';
import { appEnvDir, imageFileFor } from '../config/layout.js';
import type { SluiceConfig } from '../config/types.js';

export type PromotionErrorCode = 'not-found' | 'no-source' | 'no-tag' | 'not-allowed' | 'not-ready';

export class PromotionError extends Error {
  constructor(
    readonly code: PromotionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PromotionError';
  }
}

export interface PromotionPlan {
  readonly app: string;
  readonly from: string;
  readonly to: string;
  readonly tag: string;
  /** `promote/<app>/<to>/<tag>`. */
  readonly branch: string;
  readonly title: string;
  readonly message: string;
  /** Values keys copied along with the tag. */
  readonly values: readonly string[];
}

const decode = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

export function planPromotion(config: SluiceConfig, files: ReadonlyMap<string, Uint8Array>, req: { app: string; to: string; from?: string }): PromotionPlan {
  const app = config.apps.find((a) => a.name === req.app);
  if (!app) throw new PromotionError('not-found', `app ${req.app} is not in sluice.yaml`);
  const order = config.environments.map((e) => e.name).filter((e) => app.environments.includes(e));
  const target = config.environments.find((e) => e.name === req.to);
  if (!target || !order.includes(req.to)) throw new PromotionError('not-found', `app ${req.app} has no environment ${req.to}`);
  const from = req.from ?? order[order.indexOf(req.to) - 1];
  if (from === undefined) throw new PromotionError('no-source', `${req.to} is the first environment of ${req.app}: there is nothing to promote from (name one with --from)`);
  if (!order.includes(from)) throw new PromotionError('not-found', `app ${req.app} has no environment ${from}`);
  if (from === req.to) throw new PromotionError('no-source', 'the source and target environments are the same');
  const tag = tagOf(files.get(imageFileFor({ app: req.app, env: from })));
  if (tag === undefined) throw new PromotionError('no-tag', `${imageFileFor({ app: req.app, env: from })} holds no image.tag to promote`);
  const values = target.promotion.values;
  const title = `Promote ${req.app} ${tag} from ${from} to ${req.to}`;
  const message = `${req.app} ${req.to}: promote ${tag} from ${from}\n\n${values.length ? `With values ${values.join(', ')} from ${from}.\n\n` : ''}Promoted-From: ${from}\nImage-Tag: ${tag}\n`;
  return { app: req.app, from, to: req.to, tag, branch: `promote/${req.app}/${req.to}/${tag}`, title, message, values };
}

function valuesFile(app: string, env: string): string {
  return `${appEnvDir(app, env)}/values.yaml`;
}

/** `target` values.yaml text with `keys` set as in `source` (a key absent in the source is removed). */
export function copyValues(file: string, source: string | undefined, target: string | undefined, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return target;
  const src = parseDocument(source ?? '');
  const dst = parseDocument(target ?? '');
  if (dst.contents !== null && !isMap(dst.contents)) throw new PromotionError('no-tag', `${file}: must be a map to copy values into`);
  for (const key of keys) {
    const path = key.split('.');
    const node = src.getIn(path, true);
    if (node !== undefined) dst.setIn(path, node instanceof Scalar ? new Scalar(node.value) : src.getIn(path));
    else if (dst.hasIn(path)) dst.deleteIn(path);
  }
  return dst.toString();
}

/** The files a promotion writes, computed from what the target branch holds now. */
export async function promotionChanges(plan: PromotionPlan, read: (path: string) => Promise<Uint8Array | undefined>): Promise<{ path: string; content: string }[]> {
  const image = imageFileFor({ app: plan.app, env: plan.to });
  const changes = [{ path: image, content: setImageTag(image, decode(await read(image)), plan.tag) }];
  if (plan.values.length > 0) {
    const dst = valuesFile(plan.app, plan.to);
    const text = copyValues(dst, decode(await read(valuesFile(plan.app, plan.from))), decode(await read(dst)), plan.values);
    if (text !== undefined) changes.push({ path: dst, content: text });
  }
  return changes;
}
