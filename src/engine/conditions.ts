/**
 * What is wrong upstream of an app × env, laid over the status its reconcile computed (pure): as
 * conditions (Argo CD's types, see status.ts) and in the message. A rejected config is `Error`: the
 * env cannot move to what git says. A git outage keeps the last known sync status and health — the
 * cluster did not change, and Argo CD too shows the last comparison plus a condition — and the
 * message says since when git is unreachable and which revision is kept.
 */
import { conditionsFrom, type AppEnvStatus, type ConditionInput } from './status.js';

export interface Upstream {
  /** Why the newest config revision was rejected. */
  readonly configError?: string;
  /** The config repo's outage, worded for people (since when, revision kept). */
  readonly gitError?: string;
  /** The env holds an earlier revision (rewritten history). */
  readonly held?: ConditionInput;
  /** This app × env's render failure. */
  readonly renderError?: string;
}

export function withUpstream(s: AppEnvStatus, up: Upstream, previous: AppEnvStatus | undefined, now: string): AppEnvStatus {
  const wanted: ConditionInput[] = [];
  let out = s;
  if (up.configError) {
    out = { ...out, syncStatus: 'Error', message: up.configError };
    wanted.push({ type: 'InvalidSpecError', reason: 'ConfigRejected', message: up.configError });
  }
  if (up.renderError) wanted.push({ type: 'ComparisonError', reason: 'RenderFailed', message: up.renderError });
  if (up.held) {
    wanted.push(up.held);
    if (!up.configError) out = { ...out, message: `${up.held.message}; ${out.message}` };
  }
  if (up.gitError) {
    wanted.push({ type: 'ComparisonError', reason: 'GitUnreachable', message: up.gitError });
    if (!up.configError) out = { ...out, message: up.gitError };
  }
  return { ...out, conditions: conditionsFrom(wanted, previous?.conditions, now) };
}
