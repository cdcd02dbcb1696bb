/**
 * The emulator's own admin endpoints, under `/emulator/v1/` (a prefix no Kubernetes API path
 * uses): read and change the fault plan, and wipe the cluster's state. They are never subject to
 * the faults themselves, so a test can always switch faults off again; nor is a Kubernetes request
 * carrying `X-Emulator-Faults: off` (a harness reading the state it checks).
 *
 *   GET    /emulator/v1/faults   → { plan, counts }
 *   PUT    /emulator/v1/faults   body: a partial plan → { plan, counts } (unnamed fields keep their value)
 *   DELETE /emulator/v1/faults   → no faults
 *   POST   /emulator/v1/wipe     → drops all state, as a restart on an empty etcd would
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlanError, type FaultInjector } from './faults.js';
import { errorText } from '../common/error-text.js';

export const ADMIN_PREFIX = '/emulator/v1/';

export interface AdminTarget {
  readonly faults: FaultInjector;
  /** Drops every object (the emulator reseeds what a fresh cluster has) and ends every watch. */
  wipe(): void;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch (err) {
    throw new FaultPlanError(`the body is not JSON: ${errorText(err)}`);
  }
}

/** Serves an admin request; the caller routes only paths under ADMIN_PREFIX here. */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, target: AdminTarget): Promise<void> {
  const what = path.slice(ADMIN_PREFIX.length);
  const method = req.method ?? 'GET';
  const state = () => ({ plan: target.faults.plan, counts: target.faults.counts });
  try {
    if (what === 'faults' && method === 'GET') return send(res, 200, state());
    if (what === 'faults' && (method === 'PUT' || method === 'PATCH')) {
      target.faults.set(await readJson(req));
      return send(res, 200, state());
    }
    if (what === 'faults' && method === 'DELETE') {
      target.faults.reset();
      return send(res, 200, state());
    }
    if (what === 'wipe' && method === 'POST') {
      target.wipe();
      return send(res, 200, { wiped: true });
    }
    send(res, what === 'faults' || what === 'wipe' ? 405 : 404, { error: `${method} ${path} is not an emulator admin endpoint` });
  } catch (err) {
    send(res, err instanceof FaultPlanError ? 400 : 500, { error: errorText(err) });
  }
}
