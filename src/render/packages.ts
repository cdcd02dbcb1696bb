/**
 * The third-party packages the renderer needs only for some functions (certificates, schemas,
 * bcrypt, TOML, regular expressions, dependency version ranges), loaded on first use: a render that never calls them — most
 * renders, and every `sluice render --help` — does not pay for loading them, which in a
 * short-lived process costs more than the render itself.
 */
import { createRequire } from 'node:module';
import type forge from 'node-forge';
import type * as AjvModule from 'ajv';
import type bcryptjs from 'bcryptjs';
import type * as toml from 'smol-toml';
import type * as re2js from 're2js';
import type semver from 'semver';

const require = createRequire(import.meta.url);

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

export const nodeForge = once(() => require('node-forge') as typeof forge);
export const ajvModule = once(() => require('ajv') as typeof AjvModule);
export const bcrypt = once(() => require('bcryptjs') as typeof bcryptjs);
export const smolToml = once(() => require('smol-toml') as typeof toml);
export const re2 = once(() => require('re2js') as typeof re2js);
export const npmSemver = once(() => require('semver') as typeof semver);
