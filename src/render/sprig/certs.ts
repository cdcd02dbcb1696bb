/**
 * Sprig's certificate functions (sprig/v3 crypto.go): genCA, genCAWithKey, genSelfSignedCert,
 * genSelfSignedCertWithKey, genSignedCert, genSignedCertWithKey, buildCustomCert. Results are
 * Sprig's `certificate` struct with PEM `.Cert` and `.Key`. Certificates follow Sprig's template:
 * random 128-bit serial, CN subject, validity now .. now+days, KeyUsage digitalSignature +
 * keyEncipherment (+ certSign and CA:TRUE for CAs), ExtKeyUsage serverAuth + clientAuth
 * (non-CA), SANs DNS then IP (as Go's x509 writes them), SHA-256 with RSA, 2048-bit keys.
 * X.509 is built with node-forge, which signs with RSA only: *WithKey variants reject EC and
 * Ed25519 keys (Sprig accepts them). Keys are generated and certificates signed by node:crypto
 * (OpenSSL): forge's pure-JavaScript RSA takes tens of milliseconds per signature.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, privateEncrypt, randomBytes, constants } from 'node:crypto';
import { isIP } from 'node:net';
import type forge from 'node-forge';
import { nodeForge } from '../packages.js';
import { type FuncMap, type GoValue, GoStruct, defineFunc } from '../gotemplate/value.js';
import { argInt, argString } from './args.js';
import { ArgTypeError } from './errors.js';
import { asList } from './lists.js';
import { errorText } from '../../common/error-text.js';

/** Sprig's `certificate` struct. */
export class Certificate extends GoStruct {
  readonly goType = 'sprig.certificate';
  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {
    super();
  }
}

/** An RSA key in both libraries: forge builds certificates and PEM, OpenSSL signs. */
interface RsaKey {
  forge: forge.pki.rsa.PrivateKey;
  native: KeyObject;
}

function newKey(): RsaKey {
  const native = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const pem = native.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { forge: nodeForge().pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey, native };
}

function parseKey(pem: string): RsaKey {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new Error('error parsing private key: no PEM data in input');
  if (/BEGIN (EC|OPENSSH) PRIVATE KEY/.test(pem)) throw new Error('error parsing private key: only RSA keys are supported');
  let key: forge.pki.rsa.PrivateKey;
  try {
    key = nodeForge().pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  } catch (e) {
    throw new Error(`error parsing private key: ${errorText(e)}`, { cause: e });
  }
  // forge accepted it, so it is RSA; OpenSSL reads the same PEM for signing.
  return { forge: key, native: createPrivateKey(pem) };
}

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * What forge's cert.sign calls `key.sign(md)` on: RSASSA-PKCS1-v1_5 over forge's SHA-256 of the
 * TBSCertificate, computed by OpenSSL (a private-key "encrypt" with type-1 padding of the
 * DigestInfo is exactly that signature). Returns forge's binary string.
 */
function opensslSigner(key: KeyObject): { sign(md: forge.md.MessageDigest): string } {
  return {
    sign(md) {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const info = Buffer.concat([SHA256_DIGEST_INFO, digest]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, info).toString('binary');
    },
  };
}

function strings(v: GoValue, what: (x: GoValue) => string): string[] {
  if (v === null || v === undefined) return [];
  const l = asList(v);
  if (l === null) throw new ArgTypeError('[]interface {}', v);
  return l.map((x) => {
    if (typeof x !== 'string') throw new Error(what(x));
    return x;
  });
}

interface Template {
  cn: string;
  ips: string[];
  dns: string[];
  days: number;
  isCA: boolean;
}

function baseTemplate(cn: string, ips: GoValue, dns: GoValue, days: number): Template {
  const ipList = strings(ips, (x) => `error parsing ip: ${String(x)} is not a string`);
  for (const ip of ipList) if (!isIP(ip)) throw new Error(`error parsing ip: ${ip}`);
  const dnsList = strings(dns, (x) => `error processing alternate dns name: ${String(x)} is not a string`);
  return { cn, ips: ipList, dns: dnsList, days, isCA: false };
}

/**
 * A serial number's bytes as the hex forge writes into the DER INTEGER: positive and minimal (no
 * leading zero byte unless the next has its high bit set), as Go's encoding of a big.Int is;
 * forge writes the hex as given, so 1 random serial in 256 would start with a needless zero byte.
 */
export function serialHex(random: Uint8Array): string {
  const b = Buffer.from(random);
  b[0] &= 0x7f; // a positive DER INTEGER, like Go's rand.Int below 2^128
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && b[i + 1] < 0x80) i++;
  return b.subarray(i).toString('hex');
}

function serial(): string {
  return serialHex(randomBytes(16));
}

function sign(t: Template, key: RsaKey, issuer: forge.pki.Certificate | null, issuerKey: RsaKey): Certificate {
  const cert = nodeForge().pki.createCertificate();
  cert.publicKey = nodeForge().pki.setRsaPublicKey(key.forge.n, key.forge.e);
  cert.serialNumber = serial();
  const now = new Date();
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + t.days * 86400000);
  cert.setSubject([{ name: 'commonName', value: t.cn }]);
  cert.setIssuer(issuer ? issuer.subject.attributes : [{ name: 'commonName', value: t.cn }]);
  const ext: object[] = [
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: t.isCA },
  ];
  if (!t.isCA) ext.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
  ext.push({ name: 'basicConstraints', critical: true, cA: t.isCA });
  if (t.isCA) ext.push({ name: 'subjectKeyIdentifier' });
  if (issuer) ext.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuer.generateSubjectKeyIdentifier().getBytes() });
  const altNames = [...t.dns.map((value) => ({ type: 2, value })), ...t.ips.map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) ext.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(ext);
  cert.sign(opensslSigner(issuerKey.native) as unknown as forge.pki.rsa.PrivateKey, nodeForge().md.sha256.create());
  return new Certificate(nodeForge().pki.certificateToPem(cert), nodeForge().pki.privateKeyToPem(key.forge));
}

function genCA(cn: string, days: number, key: RsaKey): Certificate {
  return sign({ cn, ips: [], dns: [], days, isCA: true }, key, null, key);
}

function argCert(v: GoValue): Certificate {
  if (!(v instanceof Certificate)) throw new ArgTypeError('sprig.certificate', v);
  return v;
}

function genSigned(cn: string, ips: GoValue, dns: GoValue, days: number, ca: Certificate, key: RsaKey): Certificate {
  let caCert: forge.pki.Certificate;
  if (!/-----BEGIN CERTIFICATE-----/.test(ca.Cert)) throw new Error('unable to decode certificate');
  try {
    caCert = nodeForge().pki.certificateFromPem(ca.Cert);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${errorText(e)}`, { cause: e });
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(ca.Key)) throw new Error('unable to decode key');
  return sign(baseTemplate(cn, ips, dns, days), key, caCert, parseKey(ca.Key));
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const b64 = /^[A-Za-z0-9+/]*={0,2}$/;
  if (!b64.test(b64cert)) throw new Error('unable to decode base64 certificate');
  if (!b64.test(b64key)) throw new Error('unable to decode base64 private key');
  const cert = Buffer.from(b64cert, 'base64').toString('utf8');
  const key = Buffer.from(b64key, 'base64').toString('utf8');
  if (!/-----BEGIN [A-Z ]+-----/.test(cert)) throw new Error('unable to decode certificate');
  try {
    nodeForge().pki.certificateFromPem(cert);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${errorText(e)}`, { cause: e });
  }
  parseKey(key);
  return new Certificate(cert, key);
}

export function register(m: FuncMap): void {
  defineFunc(m, 'genCA', 2, (cn, d) => genCA(argString(cn), argInt(d), newKey()));
  defineFunc(m, 'genCAWithKey', 3, (cn, d, k) => genCA(argString(cn), argInt(d), parseKey(argString(k))));
  defineFunc(m, 'genSelfSignedCert', 4, (cn, ips, dns, d) => {
    const key = newKey();
    return sign(baseTemplate(argString(cn), ips, dns, argInt(d)), key, null, key);
  });
  defineFunc(m, 'genSelfSignedCertWithKey', 5, (cn, ips, dns, d, k) => {
    const key = parseKey(argString(k));
    return sign(baseTemplate(argString(cn), ips, dns, argInt(d)), key, null, key);
  });
  defineFunc(m, 'genSignedCert', 5, (cn, ips, dns, d, ca) => genSigned(argString(cn), ips, dns, argInt(d), argCert(ca), newKey()));
  defineFunc(m, 'genSignedCertWithKey', 6, (cn, ips, dns, d, ca, k) =>
    genSigned(argString(cn), ips, dns, argInt(d), argCert(ca), parseKey(argString(k))),
  );
  defineFunc(m, 'buildCustomCert', 2, (c, k) => buildCustomCert(argString(c), argString(k)));
}
