/** AppRenderer: values files held to the render limits by blob size, errors capped for the status. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { appEnvironments, parseConfig, valuesFilesFor } from '../../src/config/index.js';
import { AppRenderer, subtree } from '../../src/engine/render.js';
import { MAX_STATUS_MESSAGE_BYTES } from '../../src/engine/render-message.js';

/** The project's own deployment (manifests/ + environments/), as the controller reads a config repo. */
function repoFiles(): Map<string, Uint8Array> {
  const root = process.cwd();
  const out = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  for (const d of ['manifests', 'environments']) walk(join(root, d));
  out.set('sluice.yaml', readFileSync(join(root, 'sluice.yaml')));
  return out;
}

describe('render', () => {
  const files = repoFiles();
  const target = appEnvironments(parseConfig(new TextDecoder().decode(files.get('sluice.yaml')), 'sluice.yaml'))[0];
  const chart = subtree(files, target.chartPath);
  const valuesPath = valuesFilesFor(target)[0];

  it('refuses a 30 MiB values file by its size, naming the file', () => {
    const big = new Map(files).set(valuesPath, new Uint8Array(30 * 1024 * 1024).fill(0x61));
    const out = new AppRenderer().render(target, big, chart);
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'ELIMIT');
    assert.equal(out.error.file, valuesPath);
    assert.equal(out.error.message, `values file ${valuesPath} is 30.0 MiB, more than the limit of 8.0 MiB`);
  });

  it('takes its limits from the constructor', () => {
    const out = new AppRenderer(16, { maxValuesBytes: 1 }).render(target, new Map(files).set(valuesPath, new TextEncoder().encode('a: 1\n')), chart);
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'ELIMIT');
    assert.match(out.error.message, /more than the limit of 1 bytes$/);
  });

  it('caps the message of an endless include for the status, innermost error first', () => {
    const loop = new Map(chart).set('templates/_loop.tpl', new TextEncoder().encode('{{- define "loop" }}{{ include "loop" . }}{{ end }}')).set('templates/loop.yaml', new TextEncoder().encode('{{ include "loop" . }}\n'));
    const out = new AppRenderer().render(target, files, loop);
    assert.ok(!out.ok);
    assert.equal(out.error.code, 'ELIMIT');
    assert.ok(Buffer.byteLength(out.error.message) <= MAX_STATUS_MESSAGE_BYTES, `${Buffer.byteLength(out.error.message)} bytes`);
    assert.match(out.error.message, /^template: [^:]+\/templates\/_loop\.tpl:1:\d+: executing "loop" at <include "loop" \.>: rendering template has a nested reference name: loop: unable to execute template \(via 101 nested include calls: [^ ]+\/templates\/loop\.yaml → loop ×100\)$/);
    assert.match(out.error.file ?? '', /templates\/_loop\.tpl$/);
  });
});
