/**
 * The forges sluice knows, one module each; adding a forge is its module plus a line here. The
 * order is the order webhook detection asks them in: Gitea also sends GitHub's event header and
 * reads the same as GitHub, so GitHub comes first.
 */
import { bitbucket } from './bitbucket.js';
import { gitea } from './gitea.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import type { Forge } from './types.js';

export const FORGES = [github, gitlab, gitea, bitbucket] as const;

export type ForgeId = (typeof FORGES)[number]['id'];

export const FORGE_IDS: readonly ForgeId[] = FORGES.map((f) => f.id);

/** sluice.yaml `forge:`: where promotions open their pull requests. */
export interface ForgeSpec {
  readonly type: ForgeId;
  /** API base URL, e.g. https://api.github.com, https://gitlab.example.com/api/v4. */
  readonly api: string;
  /** `owner/name` (GitHub, Gitea, Bitbucket Cloud workspace/slug, Bitbucket Data Center PROJECT/slug) or the GitLab project path or id. */
  readonly repo: string;
  /** Mounted Secret file with the API token; else SLUICE_FORGE_TOKEN. */
  readonly tokenFile?: string;
}

export function isForgeId(name: string): name is ForgeId {
  return (FORGE_IDS as readonly string[]).includes(name);
}

export function forgeById(id: ForgeId): Forge<ForgeId> {
  const forge = FORGES.find((f) => f.id === id);
  if (!forge) throw new Error(`forge ${id} is not registered`);
  return forge;
}

/** The forges' names as a sentence: "GitHub, GitLab, Gitea/Forgejo or Bitbucket". */
export function forgeTitles(): string {
  const titles = FORGES.map((f) => f.title);
  return titles.length < 2 ? titles.join('') : `${titles.slice(0, -1).join(', ')} or ${titles.at(-1)}`;
}
