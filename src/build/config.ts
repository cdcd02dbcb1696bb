/**
 * The runner's view of a config revision: the apps that declare `build:`, the `builds:` settings,
 * and the image tag each app × env holds at that revision (from its image.yaml).
 */
import { parse } from 'yaml';
import { imageFileFor } from '../config/layout.js';
import type { SluiceConfig } from '../config/types.js';
import type { BuildConfig } from './runner.js';

/** `image.tag` of an image.yaml; undefined when the file is missing or holds no string tag. */
export function tagOf(imageYaml: Uint8Array | undefined): string | undefined {
  if (!imageYaml) return undefined;
  try {
    const doc = parse(new TextDecoder().decode(imageYaml)) as { image?: { tag?: unknown } } | null;
    const tag = doc?.image?.tag;
    return typeof tag === 'string' || typeof tag === 'number' ? String(tag) : undefined;
  } catch {
    // A broken image.yaml is the controller's to report (it fails that app's render); here it only means "no known tag".
    return undefined;
  }
}

export function buildConfig(config: SluiceConfig, files: ReadonlyMap<string, Uint8Array>): BuildConfig {
  return {
    specs: config.apps.flatMap((a) => (a.build ? [a.build] : [])),
    settings: config.builds,
    currentTag: (app, env) => tagOf(files.get(imageFileFor({ app, env }))),
  };
}
