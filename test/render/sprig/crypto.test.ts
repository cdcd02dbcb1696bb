/** Key and certificate generation: PEM shape, X.509 fields, signature chains, bcrypt/AES round trips. */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import bcryptjs from 'bcryptjs';
import { Certificate, serialHex } from '../../../src/render/sprig/certs.js';
import { sprigFuncs } from '../../../src/render/sprig/index.js';
import { call, evaluate } from './mini-eval.js';

const f = sprigFuncs();
const run = (expr: string): unknown => evaluate(f, expr);

function parse(c: Certificate): forge.pki.Certificate {
  return forge.pki.certificateFromPem(c.Cert);
}

const DAY = 86400000;

describe('sprig crypto (crypto.ts, certs.ts)', () => {
  let ca: Certificate;
  before(() => {
    ca = run('genCA "sluice-ca" 365') as Certificate;
  });

  it('genCA makes a self-signed CA with CN, validity and CA:TRUE', () => {
    const cert = parse(ca);
    assert.equal(cert.subject.getField('CN').value, 'sluice-ca');
    assert.equal(cert.issuer.getField('CN').value, 'sluice-ca');
    assert.ok(cert.verify(cert));
    const bc = cert.getExtension('basicConstraints') as { cA: boolean };
    assert.equal(bc.cA, true);
    const ku = cert.getExtension('keyUsage') as { keyCertSign: boolean; digitalSignature: boolean; keyEncipherment: boolean };
    assert.ok(ku.keyCertSign && ku.digitalSignature && ku.keyEncipherment);
    const days = (cert.validity.notAfter.getTime() - cert.validity.notBefore.getTime()) / DAY;
    assert.equal(Math.round(days), 365);
    assert.match(ca.Key, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(createPrivateKey(ca.Key).asymmetricKeyDetails?.modulusLength, 2048);
  });

  it('genSignedCert is signed by the CA and carries SANs and server/client auth', () => {
    const ips = ['10.0.0.1', '::1'];
    const cert = call(f, 'genSignedCert', ['web.local', ips, ['web.local', 'www.web.local'], 30n, ca]) as Certificate;
    const c = parse(cert);
    assert.ok(parse(ca).verify(c));
    assert.equal(c.subject.getField('CN').value, 'web.local');
    const x = new X509Certificate(cert.Cert);
    assert.equal(x.subjectAltName, 'DNS:web.local, DNS:www.web.local, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(x.checkIssued(new X509Certificate(ca.Cert)), true);
    const eku = c.getExtension('extKeyUsage') as { serverAuth: boolean; clientAuth: boolean };
    assert.ok(eku.serverAuth && eku.clientAuth);
    assert.equal((c.getExtension('basicConstraints') as { cA: boolean }).cA, false);
  });

  it('genSelfSignedCert verifies against itself', () => {
    const cert = call(f, 'genSelfSignedCert', ['self', null, ['a.example'], 1n]) as Certificate;
    assert.ok(parse(cert).verify(parse(cert)));
    assert.equal(new X509Certificate(cert.Cert).subjectAltName, 'DNS:a.example');
  });

  // DER INTEGERs are minimal, as Go writes a certificate's serial: no needless leading zero byte.
  const serials: [string, string][] = [
    ['7f' + '11'.repeat(15), '7f' + '11'.repeat(15)],
    ['ff' + '11'.repeat(15), '7f' + '11'.repeat(15)],
    ['00' + '11'.repeat(15), '11'.repeat(15)],
    ['0000' + '11'.repeat(14), '11'.repeat(14)],
    ['00' + '91' + '11'.repeat(14), '0091' + '11'.repeat(14)],
    ['00'.repeat(16), '00'],
  ];
  for (const [random, hex] of serials) it(`a serial from random bytes ${random.slice(0, 6)}… is ${hex.slice(0, 6)}…`, () => assert.equal(serialHex(Buffer.from(random, 'hex')), hex));

  it('the WithKey variants use the given key', () => {
    const key = forge.pki.privateKeyToPem(forge.pki.privateKeyFromPem(ca.Key));
    const self = call(f, 'genSelfSignedCertWithKey', ['k', [], [], 2n, key]) as Certificate;
    const ca2 = call(f, 'genCAWithKey', ['k', 2n, key]) as Certificate;
    const signed = call(f, 'genSignedCertWithKey', ['s', [], [], 2n, ca, key]) as Certificate;
    for (const c of [self, ca2, signed]) assert.equal(c.Key, key);
    assert.ok(parse(ca).verify(parse(signed)));
  });

  it('rejects a bad IP the way Sprig does', () => {
    assert.throws(() => call(f, 'genSelfSignedCert', ['x', ['not-an-ip'], [], 1n]), /error calling genSelfSignedCert: error parsing ip: not-an-ip/);
    assert.throws(() => call(f, 'genSelfSignedCert', ['x', [1n], [], 1n]), /error parsing ip: 1 is not a string/);
  });

  it('buildCustomCert round-trips base64 PEM and rejects garbage', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const c = call(f, 'buildCustomCert', [b64(ca.Cert), b64(ca.Key)]) as Certificate;
    assert.equal(c.Cert, ca.Cert);
    assert.equal(c.Key, ca.Key);
    assert.throws(() => call(f, 'buildCustomCert', ['!!', b64(ca.Key)]), /unable to decode base64 certificate/);
    assert.throws(() => call(f, 'buildCustomCert', [b64('nope'), b64(ca.Key)]), /unable to decode certificate/);
  });

  const keys: [string, RegExp, string][] = [
    ['ecdsa', /^-----BEGIN EC PRIVATE KEY-----/, 'ec'],
    ['ed25519', /^-----BEGIN PRIVATE KEY-----/, 'ed25519'],
  ];
  for (const [type, pem, kind] of keys) {
    it(`genPrivateKey ${type} writes a parsable ${kind} key`, () => {
      const k = run(`genPrivateKey "${type}"`) as string;
      assert.match(k, pem);
      assert.equal(createPrivateKey(k).asymmetricKeyType, kind);
    });
  }

  it('genPrivateKey rsa writes a 4096-bit PKCS#1 key', function () {
    this.timeout(30000); // 4096-bit generation takes about a second, with a long tail
    const k = run('genPrivateKey "rsa"') as string;
    assert.match(k, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(createPrivateKey(k).asymmetricKeyDetails?.modulusLength, 4096);
  });

  it('genPrivateKey rejects unknown types with Sprig text', () => assert.equal(run('genPrivateKey "nope"'), 'Unknown type nope'));

  it('encryptAES output decrypts with decryptAES and is randomised', () => {
    const a = run('encryptAES "pw" "secret text"') as string;
    assert.notEqual(a, run('encryptAES "pw" "secret text"'));
    assert.equal(call(f, 'decryptAES', ['pw', a]), 'secret text');
  });

  it('htpasswd and bcrypt write Go-style $2a$ bcrypt hashes that verify', () => {
    const line = run('htpasswd "admin" "s3cret"') as string;
    const [user, hash] = line.split(':');
    assert.equal(user, 'admin');
    assert.match(hash, /^\$2a\$10\$/);
    assert.ok(bcryptjs.compareSync('s3cret', hash));
    assert.ok(bcryptjs.compareSync('x', run('bcrypt "x"') as string));
  });
});
