/**
 * The Job controller (after k8s.io/kubernetes pkg/controller/job): up to `parallelism` active
 * pods named `<job>-<5 chars>` until `completions` pods succeeded (SuccessCriteriaMet, then
 * Complete), a failed pod replaced after a back-off step until more than `backoffLimit` failed
 * (FailureTarget, then Failed with BackoffLimitExceeded, active pods deleted); `suspend` creates
 * nothing. Status counts active, ready, succeeded and failed pods.
 */
import { createHash } from 'node:crypto';
import type { Obj } from '../store.js';
import { conditionsWith, controllerOf, isPodReady, objKey, podPhase, rec, splitKey, writeStatus, type Condition, type Ctx, type J } from './context.js';
import type { Controller, Queue } from './controller.js';
import { createPod, freeName, podFromTemplate } from './pod-template.js';
import { podOwnerKey } from './replicaset.js';

const JOBS = 'batch/jobs';
const SOURCE = 'job-controller';

/** When the Job finished (ms), or undefined while it runs. */
function finishedAt(job: Obj): number | undefined {
  const conds = (rec(job.status).conditions as Condition[] | undefined) ?? [];
  const c = conds.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c ? Date.parse(String(c.lastTransitionTime ?? '')) : undefined;
}

/** When a pod's last container finished (ms), from its container statuses. */
function podFinishedAt(p: Obj): number {
  const states = ((rec(p.status).containerStatuses as J[] | undefined) ?? []).map((c) => Date.parse(String(rec(rec(c.state).terminated).finishedAt ?? '')) || 0);
  return Math.max(0, ...states);
}

export function jobController(ctx: Ctx, q: Queue): Controller {
  const counters = new Map<string, number>();
  return {
    name: SOURCE,
    watches: {
      [JOBS]: (e) => (e.type === 'DELETED' ? [] : [objKey(e.object)]),
      '/pods': podOwnerKey('Job'),
    },
    reset: () => counters.clear(),
    sync(key) {
      const [ns, name] = splitKey(key);
      const job = ctx.store.get(JOBS, ns, name);
      if (!job) return void counters.delete(key);
      if (job.metadata.deletionTimestamp) return;
      const spec = rec(job.spec);
      const done0 = finishedAt(job);
      if (done0 !== undefined) {
        if (spec.ttlSecondsAfterFinished === undefined) return;
        const left = done0 + Number(spec.ttlSecondsAfterFinished) * 1000 - ctx.clock.now();
        if (left > 0) q.addAfter(key, left);
        else ctx.api.delete(ctx.target('batch/v1', 'Job', ns), name, { propagationPolicy: 'Foreground' });
        return;
      }
      const uid = String(job.metadata.uid);
      const pods = ctx.owned(uid, '/pods').filter((p) => controllerOf(p)?.uid === uid);
      const active = pods.filter((p) => !['Succeeded', 'Failed'].includes(podPhase(p)) && !p.metadata.deletionTimestamp);
      const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
      const failed = pods.filter((p) => podPhase(p) === 'Failed').length;
      const completions = Number(spec.completions ?? 1);
      const parallelism = Number(spec.parallelism ?? 1);
      const backoffLimit = Number(spec.backoffLimit ?? 6);
      const prev = rec(job.status);
      const now = ctx.now();
      const startTime = (prev.startTime as string | undefined) ?? (spec.suspend === true ? undefined : now);
      const base: J = { ...(startTime ? { startTime } : {}) };
      let conditions: Condition[] = [];
      let done: 'Complete' | 'Failed' | undefined;
      const deadline = spec.activeDeadlineSeconds === undefined || !startTime ? undefined : Date.parse(startTime) + Number(spec.activeDeadlineSeconds) * 1000;
      if (deadline !== undefined && deadline <= ctx.clock.now() && succeeded < completions) {
        const msg = 'Job was active longer than specified deadline';
        conditions = [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: msg }, { type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: msg }];
        for (const p of active) ctx.api.delete(ctx.target('v1', 'Pod', ns), p.metadata.name ?? '');
        ctx.events.record(job, 'Warning', 'DeadlineExceeded', msg, { component: SOURCE });
        done = 'Failed';
      } else if (failed > backoffLimit) {
        const msg = 'Job has reached the specified backoff limit';
        conditions = [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: msg }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: msg }];
        for (const p of active) ctx.api.delete(ctx.target('v1', 'Pod', ns), p.metadata.name ?? '');
        ctx.events.record(job, 'Warning', 'BackoffLimitExceeded', msg, { component: SOURCE });
        done = 'Failed';
      } else if (succeeded >= completions) {
        const msg = 'Reached expected number of succeeded pods';
        conditions = [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: msg }, { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: msg }];
        ctx.events.record(job, 'Normal', 'Completed', 'Job completed', { component: SOURCE });
        done = 'Complete';
      } else if (spec.suspend !== true) {
        const want = Math.min(parallelism, completions - succeeded) - active.length;
        // A replacement for a failed pod waits a back-off step (the controller's pod failure back-off).
        const lastFailure = Math.max(0, ...pods.filter((p) => podPhase(p) === 'Failed').map(podFinishedAt));
        const wait = failed ? lastFailure + ctx.stepMs - ctx.clock.now() : 0;
        if (want > 0 && wait > 0) q.addAfter(key, wait);
        else {
          let n = counters.get(key) ?? failed + succeeded + active.length;
          for (let i = 0; i < want; i++) {
            const [podName, next] = freeName(ctx, ns, name, (k) => createHash('sha256').update(k ? `${uid}/${k}` : uid).digest('hex').slice(0, 5), n);
            n = next;
            active.push(createPod(ctx, job, podFromTemplate(job, 'batch/v1', 'Job', podName, {}), SOURCE));
          }
          counters.set(key, n);
        }
      }
      const status: J = { ...base, ...(done ? {} : { active: active.length }), ...(done === 'Complete' ? { completionTime: now } : {}), ...(succeeded ? { succeeded } : {}), ...(failed ? { failed } : {}), ready: done ? 0 : active.filter(isPodReady).length, terminating: 0, uncountedTerminatedPods: {} };
      if (!status.active) delete status.active;
      if (conditions.length) status.conditions = conditionsWith(prev.conditions, conditions, now).map((c) => ({ type: c.type, status: c.status, lastProbeTime: now, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
      writeStatus(ctx, JOBS, ctx.store.get(JOBS, ns, name) as Obj, status);
      if (done) q.add(key);
      else if (deadline !== undefined) q.addAfter(key, deadline - ctx.clock.now());
    },
  };
}
