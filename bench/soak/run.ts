/**
 * One soak class: a config repo and a controller process set up once, then N runs on them. A run
 * pushes a mix of changes — values commits (syncs with PreSync/PostSync hooks), an object dropped
 * from the render (a prune) or added back, a hand edit (self-heal), a release that goes Degraded
 * and is rolled back, then a final commit — with the class's faults on, waits for convergence,
 * then checks the cluster, the DELETEs the emulator served and the release history.
 */
import { join } from 'node:path';
import { seededRandom } from '../../src/emulator/faults.js';
import { cloneWorkdir, type Workdir } from '../../test/support/git-workdir.js';
import { checkHookRuns, checkLost, checkPrunes, checkReleases, emptyVerdict, lastChanges, type LiveAppEnv, type RecordView, type Verdict } from './checks.js';
import { ControllerProcess, ensureConfigMap, kube, readLive, type SoakEnv } from './env.js';
import { APPS, ENVS, FOREIGN, initialModel, key, namespaceOf, renderedObjects, repoFiles, valuesFile, valuesFiles, valuesPath, type Model } from './scenario.js';

export interface RunContext {
  readonly env: SoakEnv;
  readonly cls: ClassState;
  readonly run: number;
  readonly rng: () => number;
  /** The step after which the class strikes (a wipe, a kill), drawn per run. */
  readonly strikeStep: number;
}

export interface FaultClass {
  readonly name: string;
  /** Switches the class's faults on at the start of a run's changes. */
  on?(ctx: RunContext): void;
  /** Switches them off (the soak's checks then read a quiet cluster). */
  off?(ctx: RunContext): void;
  /** Called after each change of a run (0–4): a wipe or a kill lands here. */
  afterStep?(ctx: RunContext, step: number): Promise<void>;
  /** The prune step rewrites history (force-push) instead of committing on top. */
  readonly forcePush?: boolean;
  /** The class drops the cluster's whole state, sluice's release history with it. */
  readonly wipesState?: boolean;
  /** How long after the final push a run may take to converge; default 30 s. */
  readonly convergeTimeoutMs?: number;
}

export interface ClassState {
  readonly prefix: string;
  readonly repo: string;
  readonly work: Workdir;
  readonly ctl: ControllerProcess;
  model: Model;
}

export interface RunResult {
  readonly run: number;
  readonly converged: boolean;
  /** From the final push to convergence. */
  readonly convergeMs: number;
  /** The whole run, changes included. */
  readonly runMs: number;
  readonly verdict: Verdict;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clone = (m: Model): Model => JSON.parse(JSON.stringify(m)) as Model;
const CONVERGE_TIMEOUT_MS = 30_000;
/** Faults stay on this long after the final push, then the class's convergence is timed on. */
const FAULT_WINDOW_MS = 8_000;

/** Creates the class's repo and controller and waits for the first full sync. */
export async function prepareClass(env: SoakEnv, name: string): Promise<ClassState> {
  const prefix = `soak-${name}`.slice(0, 40);
  const repo = `${prefix}.git`;
  const model = initialModel();
  await env.git.createRepo(repo, repoFiles(prefix, model));
  const work = await cloneWorkdir(env.git.repoUrl(repo), join(env.dir, 'work', prefix));
  await ensureConfigMap(env, namespaceOf(prefix, 'dev'), FOREIGN);
  const ctl = new ControllerProcess(env, env.git.repoUrl(repo), `${prefix}-sluice`, 500);
  await ctl.start();
  const st: ClassState = { prefix, repo, work, ctl, model };
  const head = await work.head();
  const t0 = Date.now();
  while (!(await converged(env, st, head)).ok) {
    if (Date.now() - t0 > CONVERGE_TIMEOUT_MS) throw new Error(`${name}: the first sync did not converge: ${(await converged(env, st, head)).why}`);
    await sleep(200);
  }
  return st;
}

/** Every app × env Synced and Healthy at `sha`, its operation done, and the cluster as the model renders. */
export async function converged(env: SoakEnv, st: ClassState, sha: string): Promise<{ ok: boolean; why: string }> {
  for (const app of APPS) {
    for (const e of ENVS) {
      const s = await st.ctl.status(app, e);
      if (!s) return { ok: false, why: `${app}/${e}: no status` };
      // A finished operation counts whatever its phase: a Failed one whose state is in sync is
      // converged here, and its missing Succeeded record is the release check's to report.
      if (s.revision !== sha || s.syncStatus !== 'Synced' || s.health !== 'Healthy' || s.operation?.phase === 'Running' || s.operation?.phase === 'Retrying') {
        return { ok: false, why: `${app}/${e}: ${s.syncStatus} ${s.health} at ${s.revision?.slice(0, 7)}, operation ${s.operation?.phase ?? 'none'}: ${s.message}` };
      }
      const live = await readLive(env, namespaceOf(st.prefix, e), app);
      const want = st.model[key(app, e)];
      if (live.greeting !== want.greeting || live.extra !== want.extra || !live.image?.endsWith(`:${want.tag}`)) return { ok: false, why: `${app}/${e}: live state not yet as rendered` };
    }
  }
  return { ok: true, why: '' };
}

async function histories(st: ClassState): Promise<Record<string, RecordView[] | undefined>> {
  const out: Record<string, RecordView[] | undefined> = {};
  for (const app of APPS) for (const e of ENVS) out[key(app, e)] = await st.ctl.history(app, e);
  return out;
}

/** One run of a class; `seed` makes its choices (what changes, the pauses, where a strike lands). */
export async function runOnce(env: SoakEnv, cls: FaultClass, st: ClassState, run: number, seed: number): Promise<RunResult> {
  const started = Date.now();
  const rng = seededRandom(seed);
  const ctx: RunContext = { env, cls: st, run, rng, strikeStep: Math.floor(rng() * 5) };
  const before = await histories(st);
  const deletesFrom = env.deletes.length;
  const jobsFrom = env.jobsCreated.length;
  const models = [clone(st.model)];
  const commits: string[] = [];
  const notes: string[] = [];
  await ensureConfigMap(env, namespaceOf(st.prefix, 'dev'), FOREIGN);

  const commit = async (message: string, change: (m: Model) => void, force = false) => {
    change(st.model);
    if (force) {
      commits.push(await env.git.forcePush(st.repo, valuesFiles(st.model), { message }));
      await st.work.resetToRemote();
    } else {
      for (const app of APPS) for (const e of ENVS) await st.work.write(valuesPath(app, e), valuesFile(st.model[key(app, e)]));
      commits.push(await st.work.commitAndPush(message));
    }
    models.push(clone(st.model));
  };
  const pick = () => key(APPS[Math.floor(rng() * APPS.length)], ENVS[Math.floor(rng() * ENVS.length)]);
  const steps: (() => Promise<void>)[] = [
    () => commit(`run ${run}: values`, (m) => {
      for (const k of new Set([pick(), pick()])) m[k].greeting = `run ${run} sync ${k}`;
    }),
    () => commit(`run ${run}: ${st.model[key('web', 'dev')].extra ? 'drop' : 'add back'} web-extra`, (m) => (m[key('web', 'dev')].extra = !m[key('web', 'dev')].extra), cls.forcePush),
    async () => {
      const ns = namespaceOf(st.prefix, 'stage');
      await kube(env, 'PATCH', `/api/v1/namespaces/${ns}/configmaps/api`, { data: { greeting: `edited by hand in run ${run}` } }, 'application/merge-patch+json');
    },
    async () => {
      // A rollback takes a rollout's progress deadline and a second sync: every fourth run has one.
      if (run % 4 !== 1) return;
      const k = key('api', 'dev');
      await commit(`run ${run}: api/dev from an unreachable registry`, (m) => Object.assign(m[k], { tag: `${run + 2}.0.0`, unpullable: true }));
      const t0 = Date.now();
      while ((await st.ctl.status('api', 'dev'))?.syncStatus !== 'RolledBack') {
        if (Date.now() - t0 > 20_000) {
          notes.push('the unpullable release of api/dev was not seen rolled back within 20 s');
          break;
        }
        await sleep(100);
      }
      await commit(`run ${run}: api/dev fixed`, (m) => Object.assign(m[k], { tag: `${run + 2}.0.1`, unpullable: false }));
    },
    () => commit(`run ${run}: final`, (m) => {
      for (const k of Object.keys(m)) if (k !== key('api', 'stage')) m[k].greeting = `run ${run} final ${k}`;
    }),
  ];

  cls.on?.(ctx);
  for (const [i, step] of steps.entries()) {
    await step();
    await cls.afterStep?.(ctx, i);
    if (i < steps.length - 1) await sleep(Math.floor(rng() * 300));
  }
  const finalSha = commits.at(-1) as string;
  const t0 = Date.now();
  let ok = false;
  let faultsOn = true;
  let why = '';
  const timeout = cls.convergeTimeoutMs ?? CONVERGE_TIMEOUT_MS;
  while (Date.now() - t0 < timeout) {
    if (faultsOn && Date.now() - t0 > FAULT_WINDOW_MS) {
      cls.off?.(ctx);
      faultsOn = false;
    }
    ({ ok, why } = await converged(env, st, finalSha));
    if (ok) break;
    await sleep(100);
  }
  const convergeMs = Date.now() - t0;
  if (faultsOn) cls.off?.(ctx);
  // Let a pass that was under way when convergence was seen finish, so its records are counted.
  await sleep(300);

  const verdict = emptyVerdict();
  if (!ok) verdict.details.push(`not converged in ${timeout / 1000} s: ${why}`);
  verdict.details.push(...notes);
  const live: Record<string, LiveAppEnv | undefined> = {};
  for (const app of APPS) for (const e of ENVS) live[key(app, e)] = await readLive(env, namespaceOf(st.prefix, e), app);
  checkLost(verdict, st.model, live);
  const namespaces = ENVS.map((e) => namespaceOf(st.prefix, e));
  checkPrunes(verdict, renderedObjects(st.prefix, st.model), `${namespaceOf(st.prefix, 'dev')}/configmaps/${FOREIGN}`, env.deletes.slice(deletesFrom), namespaces);
  const after = await histories(st);
  checkReleases(verdict, after, { commits, lastChange: lastChanges(models), before, stateWiped: cls.wipesState === true }, st.model);
  const hooks: Record<string, number> = {};
  for (const app of APPS) for (const e of ENVS) hooks[key(app, e)] = env.jobsCreated.slice(jobsFrom).filter((j) => j === `${namespaceOf(st.prefix, e)}/${app}-pre`).length;
  checkHookRuns(verdict, hooks, after, before);
  return { run, converged: ok, convergeMs, runMs: Date.now() - started, verdict };
}
