/** Commit links (src/forge/commit-link.ts): public forges from the clone URL, self-hosted ones from `forge:`. */
import assert from 'node:assert/strict';
import { commitLink } from '../../src/forge/commit-link.js';
import type { ForgeSpec } from '../../src/forge/registry.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

const cases: { name: string; url: string; forge?: ForgeSpec; link: string | undefined }[] = [
  { name: 'GitHub https with .git', url: 'https://github.com/acme/config.git', link: `https://github.com/acme/config/commit/${SHA}` },
  { name: 'GitHub scp-like ssh', url: 'git@github.com:acme/config.git', link: `https://github.com/acme/config/commit/${SHA}` },
  { name: 'GitHub with credentials', url: 'https://x-access-token:secret@github.com/acme/config', link: `https://github.com/acme/config/commit/${SHA}` },
  { name: 'GitLab subgroup', url: 'https://gitlab.com/acme/platform/config.git', link: `https://gitlab.com/acme/platform/config/-/commit/${SHA}` },
  { name: 'Bitbucket Cloud ssh://', url: 'ssh://git@bitbucket.org/acme/config.git', link: `https://bitbucket.org/acme/config/commits/${SHA}` },
  { name: 'Codeberg', url: 'https://codeberg.org/acme/config', link: `https://codeberg.org/acme/config/commit/${SHA}` },
  { name: 'unknown host', url: 'https://git.example.com/acme/config.git', link: undefined },
  { name: 'local path', url: '/srv/git/config', link: undefined },
  { name: 'file URL', url: 'file:///srv/git/config', link: undefined },
  { name: 'self-hosted GitLab from forge:', url: 'https://git.example.com/acme/config.git', forge: { type: 'gitlab', api: 'https://git.example.com/api/v4', repo: 'acme/config' }, link: `https://git.example.com/acme/config/-/commit/${SHA}` },
  { name: 'GitHub Enterprise from forge:', url: 'git@ghe.example.com:acme/config.git', forge: { type: 'github', api: 'https://ghe.example.com/api/v3', repo: 'acme/config' }, link: `https://ghe.example.com/acme/config/commit/${SHA}` },
  { name: 'Gitea from forge:', url: 'https://gitea.example.com/acme/config', forge: { type: 'gitea', api: 'https://gitea.example.com/api/v1', repo: 'acme/config' }, link: `https://gitea.example.com/acme/config/commit/${SHA}` },
];

describe('forge/commit-link', () => {
  for (const c of cases) it(c.name, () => assert.equal(commitLink(c.url, SHA, c.forge), c.link));

  it('links only hex commit ids', () => {
    assert.equal(commitLink('https://github.com/acme/config', ''), undefined);
    assert.equal(commitLink('https://github.com/acme/config', '../../evil'), undefined);
  });
});
