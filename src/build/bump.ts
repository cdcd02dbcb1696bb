/**
 * The bump commit: a new image tag written into `environments/<env>/<app>/image.yaml` — that file
 * only, its comments and other keys kept — and pushed to the config repo without force. The change
 * is computed from the file at the head it lands on, so after a refused push it is re-applied to
 * what others pushed. Writing a tag the file already holds makes no commit (redelivery is harmless).
 *
 * The message names app, env, tag, build and source commit, with git trailers the controller reads
 * back for lead-time metrics (`Source-Commit-Time:`).
 */
import { isMap, parseDocument, Scalar } from 'yaml';
import { imageFileFor } from '../config/layout.js';
import type { GitWriter, PushOutcome } from '../git/writer.js';

export interface BumpInput {
  readonly app: string;
  readonly env: string;
  readonly tag: string;
  /** Build id, or where an image pushed elsewhere came from (`registry:harbor`). */
  readonly buildId: string;
  readonly sourceSha?: string;
  readonly sourceCommittedAt?: Date;
  /** Image repository, for the message. */
  readonly image?: string;
  readonly digest?: string;
}

export class BumpError extends Error {
  readonly code = 'BUMP_IMAGE_FILE_INVALID';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

/** The tag `image.yaml` holds, if any. */
function currentTag(doc: ReturnType<typeof parseDocument>): unknown {
  return doc.getIn(['image', 'tag']);
}

/** `image.yaml` text with `image.tag` set to `tag` (a quoted string); the text itself when it already is. */
export function setImageTag(file: string, current: string | undefined, tag: string): string {
  if (current === undefined || current.trim() === '') return `image:\n  tag: ${JSON.stringify(tag)}\n`;
  const doc = parseDocument(current);
  if (doc.errors.length > 0) throw new BumpError(file, `not valid YAML (${doc.errors[0].message.split('\n')[0]}); fix it by hand, sluice will not overwrite it`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new BumpError(file, 'must be a map with an image.tag key');
  const image = doc.get('image');
  if (image !== undefined && image !== null && !isMap(image)) throw new BumpError(file, '"image" must be a map (image: {tag: ...})');
  if (String(currentTag(doc)) === tag && currentTag(doc) !== undefined) return current;
  // Changing the scalar in place keeps a comment that sits on it.
  const existing = doc.getIn(['image', 'tag'], true);
  const node = existing instanceof Scalar ? existing : new Scalar(tag);
  node.value = tag;
  node.type = Scalar.QUOTE_DOUBLE;
  if (node !== existing) doc.setIn(['image', 'tag'], node);
  return doc.toString();
}

export function bumpMessage(input: BumpInput): string {
  const trailers = [
    `Build: ${input.buildId}`,
    ...(input.sourceSha ? [`Source-Commit: ${input.sourceSha}`] : []),
    ...(input.sourceCommittedAt ? [`Source-Commit-Time: ${input.sourceCommittedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`] : []),
    ...(input.image ? [`Image: ${input.image}:${input.tag}`] : []),
    ...(input.digest ? [`Image-Digest: ${input.digest}`] : []),
  ];
  const source = input.sourceSha ? ` from ${input.sourceSha.slice(0, 7)}` : '';
  const why = input.buildId.startsWith('manual-')
    ? `Set by hand with sluice bump (${input.buildId.slice('manual-'.length)}).`
    : input.buildId.startsWith('registry-')
      ? `Pushed to the registry, reported by its ${input.buildId.slice('registry-'.length)} webhook.`
      : `Set by sluice build ${input.buildId}.`;
  return `${input.app} ${input.env}: image tag ${input.tag}${source}\n\n${why}\n\n${trailers.join('\n')}\n`;
}

export function bumpImageTag(writer: GitWriter, input: BumpInput): Promise<PushOutcome> {
  const file = imageFileFor(input);
  return writer.commitAndPush(async (read) => {
    const raw = await read(file);
    const text = setImageTag(file, raw === undefined ? undefined : new TextDecoder().decode(raw), input.tag);
    return [{ path: file, content: text }];
  }, bumpMessage(input));
}
