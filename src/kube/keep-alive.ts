/**
 * A KubeConfig whose API requests reuse their connections. @kubernetes/client-node builds a new
 * http(s) Agent for every request, so each GET or apply opened a TCP connection (and, on a real
 * cluster, did a TLS handshake): at a few thousand app × envs that was the largest share of the
 * controller's CPU and a good part of the API server's. Here the agent the library made is
 * swapped for a kept-alive one with the same options (CA, client certificate, server name), so a
 * credential rotation still gets its own agent. Proxy agents are left as they are.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import * as k8s from '@kubernetes/client-node';

type RequestContext = Parameters<k8s.KubeConfig['applySecurityAuthentication']>[0];

/** Below the usual 5 s keep-alive timeout of Node servers, so an idle connection is dropped here first, never reused as the server closes it. */
const IDLE_SOCKET_MS = 4_000;

export class KeepAliveKubeConfig extends k8s.KubeConfig {
  private readonly agents = new Map<string, HttpAgent>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    if (!made || (made.constructor !== HttpAgent && made.constructor !== HttpsAgent)) return;
    const options = (made as HttpAgent & { options: Record<string, unknown> }).options;
    const key = `${made.constructor === HttpsAgent ? 'https' : 'http'}\0${optionsKey(options)}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const kept = { ...options, keepAlive: true, timeout: IDLE_SOCKET_MS };
      agent = made.constructor === HttpsAgent ? new HttpsAgent(kept) : new HttpAgent(kept);
      this.agents.set(key, agent);
    }
    context.setAgent(agent);
  }
}

/** The agent options as a string key (a CA or client certificate by its bytes): cheaper than hashing them at every request. */
function optionsKey(options: Record<string, unknown>): string {
  let key = '';
  for (const k of Object.keys(options).sort()) {
    const v = options[k];
    if (v === undefined || typeof v === 'function') continue;
    key += `${k}\0${Buffer.isBuffer(v) ? v.toString('latin1') : typeof v === 'object' ? JSON.stringify(v) : String(v)}\0`;
  }
  return key;
}
