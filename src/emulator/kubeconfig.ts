/**
 * The kubeconfig that points kubectl and @kubernetes/client-node at an emulator: one cluster over
 * plain HTTP, no credentials (the emulator serves no authentication).
 */
import { stringify } from 'yaml';

export function kubeconfigYaml(url: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // @kubernetes/client-node refuses plain HTTP unless TLS verification is explicitly skipped.
    clusters: [{ name: 'sluice-emulator', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'sluice-emulator', user: {} }],
    contexts: [{ name: 'sluice-emulator', context: { cluster: 'sluice-emulator', user: 'sluice-emulator', namespace } }],
    'current-context': 'sluice-emulator',
    preferences: {},
  });
}
