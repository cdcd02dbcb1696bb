/**
 * changedTargets: which app × envs a new config revision changes — their spec, values files or
 * in-repo chart — so those are queued before the unchanged ones (work queue priorities).
 */
import assert from 'node:assert/strict';
import type { AppEnv } from '../../src/config/types.js';
import { changedTargets } from '../../src/engine/revisions.js';
import type { Snapshot } from '../../src/engine/types.js';
import { POLICY } from './releases.test.js';

function appEnv(app: string, env: string, extra: Partial<AppEnv> = {}): AppEnv {
  return {
    app, env, envIndex: 0, namespace: `${app}-${env}`, releaseName: app, cluster: '', createNamespace: true,
    syncPolicy: POLICY, chart: { path: `charts/${app}` }, chartPath: `charts/${app}`, ignoreDifferences: [], healthChecks: [], ...extra,
  };
}

const BASE: Record<string, string> = {
  'charts/web/Chart.yaml': 'name: web\n',
  'charts/web/templates/cm.yaml': 'kind: ConfigMap\n',
  'charts/api/Chart.yaml': 'name: api\n',
  'environments/dev/values.yaml': 'a: 1\n',
  'environments/dev/web/values.yaml': 'b: 1\n',
  'environments/prod/web/image.yaml': 'image: {tag: "1"}\n',
  'README.md': 'hello\n',
};
const TARGETS = [appEnv('web', 'dev'), appEnv('web', 'prod'), appEnv('api', 'dev'), appEnv('api', 'prod')];

/** Only what changedTargets reads of a snapshot. */
function snap(files: Record<string, string>, targets: AppEnv[]): Snapshot {
  const enc = new TextEncoder();
  return { sha: 'x', files: new Map(Object.entries(files).map(([p, c]) => [p, enc.encode(c)])), targets: new Map(targets.map((t) => [`${t.app}/${t.env}`, t])) } as unknown as Snapshot;
}

describe('engine/revisions changedTargets', () => {
  const cases: { name: string; files?: Record<string, string | undefined>; targets?: AppEnv[]; want: string[] }[] = [
    { name: 'nothing changed', want: [] },
    { name: 'a file no app × env reads', files: { 'README.md': 'changed\n' }, want: [] },
    { name: "an env's values: every app in that env", files: { 'environments/dev/values.yaml': 'a: 2\n' }, want: ['api/dev', 'web/dev'] },
    { name: "one app × env's values", files: { 'environments/dev/web/values.yaml': 'b: 2\n' }, want: ['web/dev'] },
    { name: 'an image tag file removed', files: { 'environments/prod/web/image.yaml': undefined }, want: ['web/prod'] },
    { name: "a chart's template: every env of that app", files: { 'charts/web/templates/cm.yaml': 'kind: Secret\n' }, want: ['web/dev', 'web/prod'] },
    { name: 'a chart file added', files: { 'charts/api/templates/new.yaml': 'x\n' }, want: ['api/dev', 'api/prod'] },
    { name: 'a spec change in sluice.yaml', targets: [appEnv('web', 'dev'), appEnv('web', 'prod', { namespace: 'moved' }), appEnv('api', 'dev'), appEnv('api', 'prod')], want: ['web/prod'] },
    { name: 'a new app × env', targets: [...TARGETS, appEnv('web', 'stage')], want: ['web/stage'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const files: Record<string, string> = { ...BASE };
      for (const [p, v] of Object.entries(c.files ?? {})) {
        if (v === undefined) delete files[p];
        else files[p] = v;
      }
      assert.deepEqual([...changedTargets(snap(BASE, TARGETS), snap(files, c.targets ?? TARGETS))].sort(), c.want);
    });
  }

  it('the first snapshot changes every app × env', () => {
    assert.equal(changedTargets(undefined, snap(BASE, TARGETS)).size, 4);
  });
});
