/**
 * Sprig's urlParse and urlJoin (sprig/v3 url.go) over a port of the parts of Go's net/url they
 * use: url.Parse (scheme, opaque, userinfo, host, path, raw query, fragment) and URL.String().
 */
import { type FuncMap, type GoMap, defineFunc } from '../gotemplate/value.js';
import { argMap, argString } from './args.js';
import { ArgTypeError } from './errors.js';
import { errorText } from '../../common/error-text.js';

interface GoUrl {
  scheme: string;
  opaque: string;
  userinfo: string;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function unescape(s: string): string {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) {
    const bad = /%.{0,2}/.exec(s.slice(s.search(/%(?![0-9a-fA-F]{2})/)))![0];
    throw new Error(`invalid URL escape "${bad}"`);
  }
  return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
}

/** Go's url.Parse (the subset Sprig exposes); throws with Go's message on a bad URL. */
export function parseUrl(raw: string): GoUrl {
  const u: GoUrl = { scheme: '', opaque: '', userinfo: '', host: '', path: '', rawQuery: '', fragment: '' };
  let rest = raw;
  const hash = rest.indexOf('#');
  if (hash >= 0) [rest, u.fragment] = [rest.slice(0, hash), unescape(rest.slice(hash + 1))];
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) [u.scheme, rest] = [sm[1].toLowerCase(), rest.slice(sm[0].length)];
  else if (/^[^/?]*:/.test(rest) && !rest.startsWith(':')) throw new Error(`parse "${raw}": first path segment in URL cannot contain colon`);
  else if (rest.startsWith(':')) throw new Error(`parse "${raw}": missing protocol scheme`);
  const q = rest.indexOf('?');
  if (q >= 0) [rest, u.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  if (u.scheme && !rest.startsWith('/')) {
    u.opaque = rest;
    return u;
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    u.userinfo = at >= 0 ? authority.slice(0, at) : '';
    u.host = unescape(at >= 0 ? authority.slice(at + 1) : authority);
  }
  u.path = unescape(rest);
  return u;
}

function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') >= 0 ? host.indexOf(']') : undefined);
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^:\d*$/.test(host.slice(colon)) ? host.slice(0, colon) : host;
}

/** Go's shouldEscape for paths (encodePath) and fragments (encodeFragment). */
function escapeWith(s: string, keep: RegExp): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 0x80 && keep.test(ch) ? ch : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's URL.String(). */
export function formatUrl(u: GoUrl): string {
  let out = u.scheme ? u.scheme + ':' : '';
  if (u.opaque) out += u.opaque;
  else {
    if (u.scheme || u.host || u.userinfo) {
      if (u.host || u.path || u.userinfo) out += '//';
      if (u.userinfo) out += u.userinfo + '@';
      out += u.host;
    }
    const path = escapeWith(u.path, /[A-Za-z0-9\-_.~$&+,/:;=@]/);
    if (path && !path.startsWith('/') && (u.host || u.userinfo)) out += '/';
    if (out === '' && /^[^/]*:/.test(path)) out += './';
    out += path;
  }
  if (u.rawQuery) out += '?' + u.rawQuery;
  if (u.fragment) out += '#' + escapeWith(u.fragment, /[A-Za-z0-9\-_.~$&+,/:;=@!()*?]/);
  return out;
}

function field(d: GoMap, k: string): string {
  const v = Object.prototype.hasOwnProperty.call(d, k) ? d[k] : '';
  if (typeof v !== 'string') throw new ArgTypeError('string', v);
  return v;
}

export function register(m: FuncMap): void {
  defineFunc(m, 'urlParse', 1, (s) => {
    let u: GoUrl;
    try {
      u = parseUrl(argString(s));
    } catch (e) {
      throw new Error(`unable to parse url: ${errorText(e)}`, { cause: e });
    }
    return { scheme: u.scheme, host: u.host, hostname: hostname(u.host), path: u.path, query: u.rawQuery, opaque: u.opaque, fragment: u.fragment, userinfo: u.userinfo };
  });
  defineFunc(m, 'urlJoin', 1, (d) => {
    const map = argMap(d);
    const keys = ['scheme', 'host', 'path', 'query', 'opaque', 'fragment', 'userinfo'] as const;
    const [scheme, host, path, rawQuery, opaque, fragment, userinfo] = keys.map((k) => field(map, k));
    return formatUrl({ scheme, host, path, rawQuery, opaque, fragment, userinfo });
  });
}
