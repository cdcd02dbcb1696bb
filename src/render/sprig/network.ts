/**
 * Sprig's getHostByName and `fail` (Helm's flow control, kept in Sprig's map).
 *
 * getHostByName does a live DNS lookup in Sprig, but Helm replaces it with a function returning
 * "" unless `--enable-dns` is given (Helm 3.11+). Renders in sluice are pure and offline, so we
 * always behave like Helm's default: the empty string, for every name.
 */
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';

export function register(m: FuncMap): void {
  defineFunc(m, 'getHostByName', 1, (n) => {
    argString(n);
    return '';
  });
  defineFunc(m, 'fail', 1, (msg) => {
    throw new Error(argString(msg));
  });
}
