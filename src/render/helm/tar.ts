/**
 * Reads a gzipped tar archive (a packaged chart, `name-1.0.0.tgz`) into a file map. Only regular
 * files are kept; PAX/GNU long names are honoured; paths escaping the archive are rejected.
 */
import { gunzipSync } from 'node:zlib';
import { errorText } from '../../common/error-text.js';

export class TarError extends Error {}

/** Upper bound on the unpacked size, against gzip bombs (Helm's loader caps files similarly). */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

export function readTgz(data: Uint8Array): Map<string, Uint8Array> {
  let buf: Buffer;
  try {
    buf = gunzipSync(data, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    throw new TarError(`archive is not a valid gzip stream: ${errorText(e)}`);
  }
  const files = new Map<string, Uint8Array>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const name0 = cstr(header, 0, 100);
    const prefix = cstr(header, 345, 155);
    const size = parseInt(cstr(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    const name = longName ?? (prefix ? `${prefix}/${name0}` : name0);
    longName = undefined;
    if (type !== '0' && type !== '\0') continue;
    const clean = name.replace(/^\.\//, '');
    if (clean.split('/').includes('..') || clean.startsWith('/')) throw new TarError(`archive entry "${name}" escapes the chart`);
    files.set(clean, new Uint8Array(body));
  }
  return files;
}

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? len : end).toString('utf8');
}
