import assert from 'node:assert/strict';
import { exitCode, pullFailure, registryHost } from '../../src/emulator/containers.js';

describe('emulator/containers', () => {
  const hosts: [string, string][] = [
    ['nginx:1.27', 'docker.io'],
    ['library/nginx', 'docker.io'],
    ['ghcr.io/acme/web:1.0', 'ghcr.io'],
    ['localhost:5000/web', 'localhost'],
    ['registry.invalid:5000/web:1.0', 'registry.invalid'],
  ];
  for (const [image, host] of hosts) it(`reads the registry of ${image}`, () => assert.equal(registryHost(image), host));

  const pulls: [string, boolean][] = [
    ['registry.invalid/web:1.1.0', true],
    ['images.example.invalid/web@sha256:00', true],
    ['invalid/web:1.0', false],
    ['nginx:invalid', false],
    ['registry.example.com/web:broken', false],
  ];
  for (const [image, fails] of pulls) it(`${fails ? 'fails' : 'pulls'} ${image}`, () => assert.equal(pullFailure(image) !== undefined, fails));

  const commands: [Record<string, unknown>, number][] = [
    [{}, 0],
    [{ command: ['sh', '-c', 'echo migrating; exit 3'] }, 3],
    [{ command: ['/bin/sh'], args: ['-c', 'run && exit 0'] }, 0],
    [{ command: ['false'] }, 1],
    [{ command: ['sh', '-c', 'exit 1\n'] }, 1],
    [{ args: ['echo', 'exit'] }, 0],
  ];
  for (const [c, code] of commands) it(`exits ${code} for ${JSON.stringify(c)}`, () => assert.equal(exitCode(c), code));
});
