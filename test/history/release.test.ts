import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ReleaseDecodeError } from '../../src/history/errors.js';
import { decodeRelease, encodeRelease, imagesOf, manifestDigest } from '../../src/history/release.js';
import type { KubeObject } from '../../src/kube/types.js';
import { fixture } from './fixtures.js';

interface DigestCase { name: string; a: KubeObject[]; same: KubeObject[][]; differs: KubeObject[][] }
interface ImagesCase { name: string; objects: KubeObject[]; images: string[] }

describe('history/release', () => {
  describe('manifestDigest', () => {
    for (const c of fixture<DigestCase[]>('digest.yaml')) {
      it(c.name, () => {
        const a = manifestDigest(c.a);
        assert.match(a, /^[0-9a-f]{64}$/);
        for (const s of c.same) assert.equal(manifestDigest(s), a);
        for (const d of c.differs) assert.notEqual(manifestDigest(d), a);
      });
    }
    it('does not depend on the order of the caller\'s array (and leaves it alone)', () => {
      const objs = fixture<DigestCase[]>('digest.yaml')[0].a;
      const before = JSON.stringify(objs);
      assert.equal(manifestDigest([...objs].reverse()), manifestDigest(objs));
      assert.equal(JSON.stringify(objs), before);
    });
  });

  describe('imagesOf', () => {
    for (const c of fixture<ImagesCase[]>('images.yaml')) {
      it(c.name, () => assert.deepEqual(imagesOf(c.objects), c.images));
    }
  });

  describe('encodeRelease / decodeRelease', () => {
    const objects = fixture<ImagesCase[]>('images.yaml')[0].objects;
    it('round-trips manifests through gzip', () => {
      const bytes = encodeRelease(objects);
      assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'gzip magic');
      assert.deepEqual(decodeRelease(bytes, 'r'), objects);
    });
    const bad: [string, Uint8Array, RegExp][] = [
      ['not gzip', Buffer.from('[]'), /^Secret\/x: manifests are not gzipped JSON/],
      ['gzip of non-JSON', gzipSync('nope'), /^Secret\/x: manifests are not gzipped JSON/],
      ['gzip of an object', gzipSync('{"kind":"List"}'), /^Secret\/x: manifests are not a list of Kubernetes objects$/],
      ['gzip of a list with a non-object', gzipSync('[{"apiVersion":"v1","kind":"ConfigMap","metadata":{}},1]'), /not a list of Kubernetes objects/],
    ];
    for (const [name, bytes, message] of bad) {
      it(`refuses ${name} with the release named`, () => {
        assert.throws(() => decodeRelease(bytes, 'Secret/x'), (e: unknown) => e instanceof ReleaseDecodeError && e.code === 'release-corrupt' && message.test(e.message));
      });
    }
  });
});
