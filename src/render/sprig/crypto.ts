/**
 * Sprig's crypto functions (sprig/v3 crypto.go) except certificates (certs.ts): bcrypt,
 * htpasswd, genPrivateKey, derivePassword (Master Password algorithm), encryptAES/decryptAES
 * (AES-256-CBC, zero-padded password as key, PKCS#7 padding, random IV prepended, base64).
 */
import { createCipheriv, createDecipheriv, createHmac, generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { bcrypt } from '../packages.js';
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argInt, argString } from './args.js';
import { register as registerCerts } from './certs.js';
import { b64Check } from './encoding.js';

const SEED = 'com.lyndir.masterpassword';

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const CHARS: Record<string, string> = {
  V: 'AEIOU', C: 'BCDFGHJKLMNPQRSTVWXYZ', v: 'aeiou', c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ', a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789', o: "@&%?,=[]_:-+*$#!'^~;()/.", x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Sprig's derivePassword (Master Password v3: scrypt N=32768 r=8 p=2, HMAC-SHA256 seed). */
export function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userB = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([Buffer.from(SEED), u32(userB.length), userB]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 1024 * 1024 });
  const siteB = Buffer.from(site, 'utf8');
  const seed = createHmac('sha256', key).update(Buffer.concat([Buffer.from(SEED), u32(siteB.length), siteB, u32(counter)])).digest();
  const tpl = templates[seed[0] % templates.length];
  return [...tpl].map((t, i) => CHARS[t][seed[i + 1] % CHARS[t].length]).join('');
}

/** Go's key handling for encryptAES/decryptAES: the password's bytes copied into 32 zero bytes. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

export function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', aesKey(password), iv);
  return Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final()]).toString('base64');
}

export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const bad = b64Check(new TextEncoder().encode(crypt64));
  if (bad !== null) throw new Error(`illegal base64 data at input byte ${bad}`);
  const crypt = Buffer.from(crypt64, 'base64');
  if (crypt.length < 16) throw new Error('runtime error: slice bounds out of range [:16] with capacity ' + crypt.length);
  if ((crypt.length - 16) % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(crypt.subarray(16)), d.final()]);
  // Sprig strips the last byte's count of bytes without checking the padding.
  const pad = plain.length > 0 ? plain[plain.length - 1] : 0;
  if (pad > plain.length) throw new Error(`runtime error: slice bounds out of range [:${plain.length - pad}]`);
  return plain.subarray(0, plain.length - pad).toString('utf8');
}

/** Sprig's genPrivateKey: PEM of a new key; "Unknown type X" for an unsupported type. */
export function genPrivateKey(type: string): string {
  switch (type) {
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  // "dsa" is not supported: Node cannot write OpenSSL's "DSA PRIVATE KEY" form.
  return `Unknown type ${type}`;
}

export function register(m: FuncMap): void {
  defineFunc(m, 'bcrypt', 1, (s) => bcrypt().hashSync(argString(s), 10).replace(/^\$2b\$/, '$2a$'));
  defineFunc(m, 'htpasswd', 2, (u, p) => {
    const user = argString(u);
    if (user.includes(':')) return `invalid username: ${user}`;
    return `${user}:${bcrypt().hashSync(argString(p), 10).replace(/^\$2b\$/, '$2a$')}`;
  });
  defineFunc(m, 'genPrivateKey', 1, (t) => genPrivateKey(argString(t)));
  defineFunc(m, 'derivePassword', 5, (c, t, p, u, s) => derivePassword(argInt(c), argString(t), argString(p), argString(u), argString(s)));
  defineFunc(m, 'encryptAES', 2, (p, s) => encryptAES(argString(p), argString(s)));
  defineFunc(m, 'decryptAES', 2, (p, s) => decryptAES(argString(p), argString(s)));
  registerCerts(m);
}
