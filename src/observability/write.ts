/** `npm run dashboards`: writes the observability artefacts into manifests/ (run from the repo root). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { artefacts } from './artefacts.js';

for (const [path, content] of artefacts()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  process.stdout.write(`wrote ${path}\n`);
}
