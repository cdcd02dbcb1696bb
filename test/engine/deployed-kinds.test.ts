/** DeployedKinds (drift-watch.ts): what the drift watcher is told as app × envs render their objects. */
import assert from 'node:assert/strict';
import { DeployedKinds, type WatchedKind } from '../../src/engine/drift-watch.js';

const API_VERSIONS: Record<string, string> = { ConfigMap: 'v1', Secret: 'v1', Deployment: 'apps/v1', Widget: 'example.com/v1' };
const objects = (kinds: string): { apiVersion: string; kind: string }[] => kinds.split(',').filter(Boolean).map((kind) => ({ apiVersion: API_VERSIONS[kind], kind }));

describe('engine/drift-watch DeployedKinds', () => {
  const cases: { name: string; renders: [key: string, context: string, kinds: string][]; told: string[] }[] = [
    { name: 'the first render tells its kinds, sorted and once each', renders: [['web/dev', 'a', 'Secret,ConfigMap,ConfigMap']], told: ['a: ConfigMap Secret'] },
    { name: 'the same kinds again tell nothing', renders: [['web/dev', 'a', 'ConfigMap'], ['web/dev', 'a', 'ConfigMap']], told: ['a: ConfigMap'] },
    { name: 'kinds of every app × env of a context are told together', renders: [['web/dev', 'a', 'ConfigMap'], ['api/dev', 'a', 'Deployment']], told: ['a: ConfigMap', 'a: ConfigMap Deployment'] },
    { name: 'a kind no app × env deploys any more is dropped', renders: [['web/dev', 'a', 'ConfigMap,Widget'], ['api/dev', 'a', 'ConfigMap'], ['web/dev', 'a', 'ConfigMap']], told: ['a: Widget ConfigMap', 'a: Widget ConfigMap', 'a: ConfigMap'] },
    { name: 'contexts are told apart', renders: [['web/dev', 'a', 'ConfigMap'], ['web/prod', 'b', 'Secret']], told: ['a: ConfigMap', 'b: Secret'] },
    { name: 'an app × env moved to another context tells the new one', renders: [['web/dev', 'a', 'ConfigMap'], ['web/dev', 'b', 'ConfigMap']], told: ['a: ConfigMap', 'b: ConfigMap'] },
    { name: 'a render of nothing tells an empty list', renders: [['web/dev', 'a', 'ConfigMap'], ['web/dev', 'a', '']], told: ['a: ConfigMap', 'a: '] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const told: string[] = [];
      const kinds = new DeployedKinds({ track: (context: string, watched: Iterable<WatchedKind>) => void told.push(`${context}: ${[...watched].map((k) => k.kind).join(' ')}`) });
      for (const [key, context, k] of c.renders) kinds.track(key, context, objects(k));
      assert.deepEqual(told, c.told);
    });
  }

  it('keeps the apiVersion of each kind', () => {
    let watched: WatchedKind[] = [];
    new DeployedKinds({ track: (_c: string, w: Iterable<WatchedKind>) => void (watched = [...w]) }).track('web/dev', '', objects('Widget,Deployment'));
    assert.deepEqual(watched, [{ apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'example.com/v1', kind: 'Widget' }]);
  });
});
