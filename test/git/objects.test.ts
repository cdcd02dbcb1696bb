/** readFilesAt with a tree cache: the same files as a read without it, unchanged folders not read again. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFilesAt, type TreeFilesCache } from '../../src/git/objects.js';
import { createBareRepo, git } from '../support/git-server.js';
import { SEED } from './fixture.js';

describe('git/objects', () => {
  let dir: string;
  let bare: string;
  let first: string;
  let second: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-objects-'));
    bare = join(dir, 'repo.git');
    first = await createBareRepo(bare, { ...SEED, 'environments/prod/web/values.yaml': 'greeting: hi\n' });
    await git(dir, 'clone', '-q', bare, 'w');
    await writeFile(join(dir, 'w', 'environments/dev/web/values.yaml'), 'greeting: changed\n');
    await git(join(dir, 'w'), 'commit', '-qam', 'change dev');
    await git(join(dir, 'w'), 'push', '-q', 'origin', 'HEAD:main');
    second = await git(join(dir, 'w'), 'rev-parse', 'HEAD');
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('reads the same files with the tree cache as without it, at each revision and prefix', async () => {
    const trees: TreeFilesCache = new Map();
    for (const [sha, prefix] of [[first, ''], [second, ''], [second, 'environments'], [first, 'charts/web']]) {
      const cached = await readFilesAt(bare, sha, prefix, {}, trees);
      const plain = await readFilesAt(bare, sha, prefix, {});
      assert.deepEqual([...cached.keys()], [...plain.keys()]);
      for (const [p, data] of plain) assert.equal(Buffer.from(cached.get(p) as Uint8Array).toString(), Buffer.from(data).toString(), `${sha.slice(0, 7)} ${p}`);
    }
  });

  it('takes the files of folders a new revision left unchanged from the revision before', async () => {
    const trees: TreeFilesCache = new Map();
    const a = await readFilesAt(bare, first, '', {}, trees);
    const b = await readFilesAt(bare, second, '', {}, trees);
    assert.equal(Buffer.from(b.get('environments/dev/web/values.yaml') as Uint8Array).toString(), 'greeting: changed\n');
    // unchanged: the very same bytes, not read again
    assert.equal(b.get('environments/prod/web/values.yaml'), a.get('environments/prod/web/values.yaml'));
    assert.equal(b.get('charts/web/Chart.yaml'), a.get('charts/web/Chart.yaml'));
    assert.notEqual(b.get('environments/dev/web/values.yaml'), a.get('environments/dev/web/values.yaml'));
  });
});
