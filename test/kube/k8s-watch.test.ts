/** The watch transport's pure parts: collection paths and client-go's randomised watch timeout. */
import assert from 'node:assert/strict';
import { collectionPath, watchTimeoutSeconds } from '../../src/kube/k8s-watch.js';

describe('kube/k8s-watch', () => {
  const table: [apiVersion: string, name: string, namespaced: boolean, namespace: string | undefined, path: string][] = [
    ['v1', 'configmaps', true, undefined, '/api/v1/configmaps'],
    ['v1', 'configmaps', true, 'web', '/api/v1/namespaces/web/configmaps'],
    ['apps/v1', 'deployments', true, undefined, '/apis/apps/v1/deployments'],
    ['rbac.authorization.k8s.io/v1', 'clusterroles', false, 'web', '/apis/rbac.authorization.k8s.io/v1/clusterroles'],
  ];
  for (const [apiVersion, name, namespaced, namespace, path] of table) {
    it(`collectionPath ${path}`, () => assert.equal(collectionPath(apiVersion, { name, namespaced }, namespace), path));
  }

  it('watch timeouts spread over 5 to 10 minutes', () => {
    assert.equal(watchTimeoutSeconds(() => 0), 300);
    assert.equal(watchTimeoutSeconds(() => 0.999), 599);
  });
});
