/**
 * What a container does when the simulated kubelet runs it, decided only by facts a real cluster
 * would act on: an image on a registry whose host is under `.invalid` (RFC 2606: never resolves)
 * cannot be pulled, and a shell command that ends in `exit N` (or is `false`) exits with N. So a
 * scenario written for the emulator fails the same way on a real cluster.
 */

type J = Record<string, unknown>;

/** The registry host of an image reference, as the container runtime reads it (docker.io when none). */
export function registryHost(image: string): string {
  const first = image.split('/')[0];
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first.replace(/:\d+$/, '') : 'docker.io';
}

/**
 * Why pulling `image` fails, in the container runtime's words, or undefined when it succeeds.
 * Only hosts under `.invalid` fail: DNS never resolves them, on any cluster.
 */
export function pullFailure(image: string): string | undefined {
  const host = registryHost(image);
  if (!/(^|\.)invalid$/i.test(host)) return undefined;
  const ref = image.includes('/') ? image : `docker.io/library/${image}`;
  return `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://${host}/v2/": dial tcp: lookup ${host}: no such host`;
}

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash']);

/**
 * The exit code of a container's command: `exit N` as the last statement of an `sh -c` script,
 * `false`, or `exit N` given directly; 0 otherwise (the simulated process succeeds).
 */
export function exitCode(container: J): number {
  const argv = [...((container.command as unknown[] | undefined) ?? []), ...((container.args as unknown[] | undefined) ?? [])].map(String);
  if (!argv.length) return 0;
  const script = SHELLS.has(argv[0]) && argv[1] === '-c' ? (argv[2] ?? '') : argv.join(' ');
  const last = script.split(/;|&&|\n/).map((s) => s.trim()).filter(Boolean).pop() ?? '';
  if (last === 'false' || last === '/bin/false') return 1;
  const m = /^exit\s+(\d+)$/.exec(last);
  return m ? Number(m[1]) % 256 : 0;
}

/**
 * Why a kaniko build container's push fails: a `--destination=` whose registry is under
 * `.invalid` cannot be resolved, so the build ends in kaniko's push error; undefined when it pushes.
 */
export function pushFailure(container: J): string | undefined {
  for (const a of ((container.args as unknown[] | undefined) ?? []).map(String)) {
    if (!a.startsWith('--destination=')) continue;
    const dest = a.slice('--destination='.length);
    const host = registryHost(dest);
    if (/(^|\.)invalid$/i.test(host)) return `error pushing image: failed to push to destination ${dest}: Head "https://${host}/v2/": dial tcp: lookup ${host}: no such host`;
  }
  return undefined;
}
