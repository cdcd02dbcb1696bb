/**
 * KeepAliveKubeConfig: API requests share kept-alive connections (the library alone opens one per
 * request), and a change of the agent's options (another CA or client certificate) gets its own.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { K8sClusterClient } from '../../src/kube/k8s-client.js';
import { KeepAliveKubeConfig } from '../../src/kube/keep-alive.js';

/** A server answering every GET with a ConfigMap, counting the TCP connections it accepted. */
async function countingServer(): Promise<{ server: Server; url: string; connections: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', resourceVersion: '1' } }));
  });
  server.on('connection', () => n++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => n };
}

function config(url: string): KeepAliveKubeConfig {
  const kc = new KeepAliveKubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}

describe('kube/keep-alive', () => {
  it('sends successive requests over one connection', async () => {
    const { server, url, connections } = await countingServer();
    try {
      const client = new K8sClusterClient(config(url));
      // discovery first, then the reads: every one of them on the same connection
      for (let i = 0; i < 5; i++) await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'x' }).catch(() => undefined);
      assert.equal(connections(), 1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('keeps one agent per set of agent options', async () => {
    const { server, url } = await countingServer();
    try {
      const kc = config(url);
      const agents = new Set<unknown>();
      for (let i = 0; i < 3; i++) {
        const ctx = { agent: undefined as unknown, setAgent(a: unknown) { this.agent = a; }, getAgent() { return this.agent; }, setHeaderParam() {} };
        await kc.applySecurityAuthentication(ctx as never);
        agents.add(ctx.agent);
      }
      assert.equal(agents.size, 1);
      kc.clusters[0] = { ...kc.clusters[0], tlsServerName: 'other.example' };
      const ctx = { agent: undefined as unknown, setAgent(a: unknown) { this.agent = a; }, getAgent() { return this.agent; }, setHeaderParam() {} };
      await kc.applySecurityAuthentication(ctx as never);
      assert.ok(!agents.has(ctx.agent), 'other agent options, other agent');
    } finally {
      server.close();
    }
  });
});
