/** The API's shapes the UI reads (src/server/app-query.ts, src/engine/status.ts). */

export interface MatrixCell {
  readonly env: string;
  readonly revision: string;
  readonly running?: string;
  readonly commitUrl?: string;
  readonly tags: readonly string[];
  readonly syncStatus: string;
  readonly health: string;
  readonly phase?: string;
  readonly lastSyncedAt: string | null;
  readonly held?: 'rolled-back' | 'prune-held' | 'revision-held';
  readonly promotable?: true;
  readonly message?: string;
}

export interface MatrixRow {
  readonly app: string;
  readonly cells: readonly MatrixCell[];
}

export interface MatrixPage {
  readonly environments: readonly string[];
  readonly items: readonly MatrixRow[];
  readonly total: number;
  readonly continue?: string;
}

/** GET /api/v1/apps/:app/:env (the parts the UI shows). */
export interface AppEnvStatus {
  readonly app: string;
  readonly env: string;
  readonly revision: string;
  readonly syncStatus: string;
  readonly health: string;
  readonly lastSyncedAt: string | null;
  readonly message: string;
  readonly namespace: string;
  readonly images?: readonly string[];
  readonly operation?: { readonly phase: string; readonly message: string; readonly revision: string };
}
