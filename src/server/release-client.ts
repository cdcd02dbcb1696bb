/**
 * ReleaseClient: the release API over HTTP, as `sluice history` and `sluice rollback` call a
 * running sluice server. It implements ReleaseApi, so a command reads the same either way.
 */
import { ApiClient } from './client.js';
import type { ReleaseApi, RollbackRequest } from '../engine/release-api.js';
import type { ReleaseRecord } from '../history/release.js';

export class ReleaseClient implements ReleaseApi {
  private readonly api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
  }

  history(app: string, env: string): Promise<ReleaseRecord[]> {
    return this.api.getJson<ReleaseRecord[]>(`${appEnvPath(app, env)}/history`);
  }

  rollback(app: string, env: string, request: RollbackRequest): Promise<ReleaseRecord> {
    return this.api.postJson<ReleaseRecord>(`${appEnvPath(app, env)}/rollback`, request);
  }
}

function appEnvPath(app: string, env: string): string {
  return `/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}`;
}
