/** Registry push webhooks: payloads (test/fixtures/build/registry-webhook.yaml), image name normalization, app matching. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { appsForImage, normalizeImage, parseRegistryEvent } from '../../src/build/registry-webhook.js';

interface Case { name: string; file?: string; body?: unknown; want: unknown }

describe('build/registry-webhook', () => {
  const dir = path.resolve('test/fixtures/build');
  for (const c of parse(readFileSync(path.join(dir, 'registry-webhook.yaml'), 'utf8')) as Case[]) {
    it(c.name, () => {
      const body = c.file ? (JSON.parse(readFileSync(path.join(dir, 'webhooks', c.file), 'utf8')) as unknown) : c.body;
      assert.deepEqual(parseRegistryEvent(body), c.want);
    });
  }

  const names: [string, string][] = [
    ['nginx', 'docker.io/library/nginx'],
    ['library/nginx', 'docker.io/library/nginx'],
    ['docker.io/library/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/acme/web', 'docker.io/acme/web'],
    ['acme/web', 'docker.io/acme/web'],
    ['Registry.Example.com/Shop/Web', 'registry.example.com/shop/web'],
    ['localhost:5000/web', 'localhost:5000/web'],
    ['localhost/web', 'localhost/web'],
    ['ghcr.io/acme/web/', 'ghcr.io/acme/web'],
  ];
  for (const [name, want] of names) it(`normalizeImage(${name})`, () => assert.equal(normalizeImage(name), want));

  it('matches apps by image whatever the spelling', () => {
    const builds = [{ app: 'web', image: 'registry.example.com/shop/web' }, { app: 'proxy', image: 'nginx' }, { app: 'web2', image: 'registry.example.com/shop/web' }];
    assert.deepEqual(appsForImage('REGISTRY.example.com/shop/web', builds), ['web', 'web2']);
    assert.deepEqual(appsForImage('docker.io/library/nginx', builds), ['proxy']);
    assert.deepEqual(appsForImage('registry.example.com/shop/api', builds), []);
  });
});
