/**
 * Sprig's getHostByName and `fail` (Helm's flow control, kept in Sprig's map).
 *
 * getHostByName does a live DNS lookup in Sprig. Renders in sluice must be pure and offline, so
 * we resolve only what needs no network: IP literals (returned as is) and `localhost`; any
 * other name fails the way Sprig does when the lookup yields no address (rand.Intn(0) panics).
 * Helm itself replaces this function with one returning "" unless --enable-dns is given; the
 * Helm layer is expected to do the same.
 */
import { isIP } from 'node:net';
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';

export function getHostByName(name: string): string {
  if (isIP(name)) return name;
  if (name === 'localhost') return '127.0.0.1';
  throw new Error('invalid argument to Intn');
}

export function register(m: FuncMap): void {
  defineFunc(m, 'getHostByName', 1, (n) => getHostByName(argString(n)));
  defineFunc(m, 'fail', 1, (msg) => {
    throw new Error(argString(msg));
  });
}
