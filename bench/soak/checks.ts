/**
 * The soak's verdicts on one run, as pure functions of what was observed: lost updates (the
 * cluster does not hold what the final revision renders), wrong prunes (a DELETE of an object the
 * final revision renders, or of the foreign object), and release records that are missing (a
 * change applied without exactly one Succeeded record at or after the commit that made it) or
 * duplicated (a Succeeded sync record whose manifests equal the previous Succeeded record's: a
 * no-op pass, or the same change recorded twice).
 */
import { IMAGE_REPO, key, type AppEnvValues, type Model } from './scenario.js';

/** What the soak read back from the cluster for one app × env. */
export interface LiveAppEnv {
  readonly greeting?: string;
  readonly image?: string;
  readonly extra: boolean;
}

/** The fields of a release record the checks read (see src/history/release.ts). */
export interface RecordView {
  readonly id: number;
  readonly revision: string;
  readonly digest: string;
  readonly trigger: string;
  readonly result: string;
  readonly startedAt: string;
}

export interface Verdict {
  lost: number;
  wrongPrunes: number;
  duplicateReleases: number;
  missingReleases: number;
  /** PreSync hook Jobs created beyond one per release record: a finished hook run again. */
  hookReruns: number;
  readonly details: string[];
}

export function emptyVerdict(): Verdict {
  return { lost: 0, wrongPrunes: 0, duplicateReleases: 0, missingReleases: 0, hookReruns: 0, details: [] };
}

/** The differences between the live state of an app × env and what its values render. */
export function liveDiff(want: AppEnvValues, live: LiveAppEnv | undefined, app: string): string[] {
  if (!live) return ['not readable'];
  const out: string[] = [];
  if (live.greeting !== want.greeting) out.push(`greeting ${JSON.stringify(live.greeting)} ≠ ${JSON.stringify(want.greeting)}`);
  const image = `${IMAGE_REPO}/${app}:${want.tag}`;
  if (live.image !== image) out.push(`image ${live.image ?? 'absent'} ≠ ${image}`);
  if (live.extra !== want.extra) out.push(`${app}-extra ${live.extra ? 'present' : 'absent'}, the render has it ${want.extra ? 'present' : 'absent'}`);
  return out;
}

export function checkLost(v: Verdict, model: Model, live: Record<string, LiveAppEnv | undefined>): void {
  for (const [k, want] of Object.entries(model)) {
    const diff = liveDiff(want, live[k], k.split('/')[0]);
    if (!diff.length) continue;
    v.lost++;
    v.details.push(`lost update ${k}: ${diff.join('; ')}`);
  }
}

/** `deleted`: `namespace/resource/name` of every DELETE the emulator answered 200 during the run. */
export function checkPrunes(v: Verdict, rendered: ReadonlySet<string>, foreign: string, deleted: readonly string[], namespaces: readonly string[]): void {
  for (const d of deleted) {
    const [ns, resource, name] = d.split('/');
    const wholeNamespace = resource === 'namespaces' && namespaces.includes(name);
    if (!rendered.has(d) && d !== foreign && !wholeNamespace) continue;
    v.wrongPrunes++;
    v.details.push(`wrong prune: DELETE ${d}${d === foreign ? ' (the foreign object)' : wholeNamespace ? ' (a namespace of the apps)' : ` (rendered by the final revision${ns ? '' : ''})`}`);
  }
}

export interface ReleaseExpectation {
  /** Commits of this run in push order (a force-pushed head included). */
  readonly commits: readonly string[];
  /** Per app × env whose render changed in the run: index in `commits` of the last commit that changed it. */
  readonly lastChange: Readonly<Record<string, number>>;
  /** The history of each app × env before the run: its records are not the run's. */
  readonly before: Readonly<Record<string, readonly RecordView[] | undefined>>;
  /**
   * The cluster lost its whole state during the run: the records of before the run went with it
   * (as Helm's and Argo CD's, which live in the cluster too). What the run synced must still be recorded.
   */
  readonly stateWiped?: boolean;
}

/** Checks the records an app × env gained in the run (all of its history, oldest first, in `history`). */
export function checkReleases(v: Verdict, history: Readonly<Record<string, readonly RecordView[] | undefined>>, exp: ReleaseExpectation, model: Model): void {
  for (const k of Object.keys(model)) {
    const all = history[k];
    if (!all) {
      v.missingReleases++;
      v.details.push(`missing release ${k}: history not readable`);
      continue;
    }
    const earlier = exp.before[k] ?? [];
    const newest = earlier.reduce<RecordView | undefined>((m, r) => (!m || r.id > m.id ? r : m), undefined);
    // The history limit drops the oldest records, never the newest one of before the run.
    if (newest && !all.some((r) => r.id === newest.id && r.startedAt === newest.startedAt)) {
      if (exp.stateWiped) v.details.push(`${k}: the history of before the run was lost with the cluster's state`);
      else {
        v.missingReleases++;
        v.details.push(`missing release ${k}: release ${newest.id}, the newest before the run, is gone (records lost; the history now ends at ${all.reduce((m, r) => Math.max(m, r.id), 0)})`);
      }
    }
    // A record is the run's unless the history had it before (ids restart when the history is lost).
    const seen = new Set(earlier.map((r) => `${r.id} ${r.startedAt}`));
    const fresh = all.filter((r) => !seen.has(`${r.id} ${r.startedAt}`));
    const changed = exp.lastChange[k];
    if (changed !== undefined) {
      const accepted = new Set(exp.commits.slice(changed));
      if (!fresh.some((r) => r.result === 'Succeeded' && accepted.has(r.revision))) {
        v.missingReleases++;
        v.details.push(`missing release ${k}: no Succeeded record at ${exp.commits[changed].slice(0, 7)} or later (records: ${describe(fresh)})`);
      }
    }
    for (const r of fresh.filter((x) => x.result === 'Running')) {
      v.missingReleases++;
      v.details.push(`missing release ${k}: release ${r.id} never finished (Running)`);
    }
    const succeeded = all.filter((r) => r.result === 'Succeeded').sort((a, b) => a.id - b.id);
    for (let i = 1; i < succeeded.length; i++) {
      const [prev, r] = [succeeded[i - 1], succeeded[i]];
      if (!fresh.includes(r) || (r.trigger !== 'auto-sync' && r.trigger !== 'manual-sync') || r.digest !== prev.digest) continue;
      v.duplicateReleases++;
      v.details.push(`duplicate release ${k}: release ${r.id} (${r.trigger} at ${r.revision.slice(0, 7)}) applied the same manifests as release ${prev.id}`);
    }
  }
}

/**
 * Each release runs its PreSync hook at most once (a sync that failed before the hook, none):
 * `created` counts the hook Jobs the emulator created per app × env in the run. A retry of a failed
 * attempt re-runs hooks legitimately, so this is read as a re-run only where nothing failed.
 */
export function checkHookRuns(v: Verdict, created: Readonly<Record<string, number>>, history: Readonly<Record<string, readonly RecordView[] | undefined>>, before: Readonly<Record<string, readonly RecordView[] | undefined>>): void {
  for (const [k, n] of Object.entries(created)) {
    const seen = new Set((before[k] ?? []).map((r) => `${r.id} ${r.startedAt}`));
    const fresh = (history[k] ?? []).filter((r) => !seen.has(`${r.id} ${r.startedAt}`));
    if (n <= fresh.length) continue;
    v.hookReruns += n - fresh.length;
    v.details.push(`hook re-run ${k}: the PreSync hook Job was created ${n} times for ${fresh.length} release record(s) (${describe(fresh)})`);
  }
}

function describe(records: readonly RecordView[]): string {
  return records.length ? records.map((r) => `${r.id} ${r.trigger} ${r.result} ${r.revision.slice(0, 7)}`).join(', ') : 'none';
}

/** Index of the last commit that changed each app × env, from the model before and after each commit. */
export function lastChanges(models: readonly Model[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 1; i < models.length; i++) {
    for (const k of Object.keys(models[i])) if (JSON.stringify(models[i][k]) !== JSON.stringify(models[i - 1][k])) out[k] = i - 1;
  }
  return out;
}

export { key };
