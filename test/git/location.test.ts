/** repoIdentity and redactUrl: the forms of one repo URL compare equal, credentials never show. */
import assert from 'node:assert/strict';
import { redactUrl, repoIdentity } from '../../src/git/location.js';

describe('git/location', () => {
  const same: [string, string][] = [
    ['https://github.com/acme/web.git', 'github.com/acme/web'],
    ['https://user:token@GitHub.com/acme/web/', 'github.com/acme/web'],
    ['http://github.com:80/acme/web', 'github.com/acme/web'],
    ['git@github.com:acme/web.git', 'github.com/acme/web'],
    ['ssh://git@github.com/acme/web.git', 'github.com/acme/web'],
    ['ssh://git@github.com:22/acme/web', 'github.com/acme/web'],
    ['http://127.0.0.1:3000/shop/api.git', '127.0.0.1:3000/shop/api'],
    ['https://gitlab.example.com/group/sub/project.git', 'gitlab.example.com/group/sub/project'],
  ];
  for (const [url, id] of same) {
    it(`identity of ${url}`, () => assert.equal(repoIdentity(url), id));
  }

  it('local paths resolve to an absolute path', () => {
    assert.equal(repoIdentity('file:///srv/git/config'), '/srv/git/config');
    assert.equal(repoIdentity('/srv/git/config/'), '/srv/git/config');
  });

  it('redacts userinfo', () => {
    assert.equal(redactUrl('https://user:s3cret@git.example.com/x.git'), 'https://git.example.com/x.git');
    assert.equal(redactUrl('./local'), './local');
  });
});
