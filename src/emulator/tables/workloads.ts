/**
 * Printers of the workload kinds — Pod, Deployment, ReplicaSet, ReplicationController,
 * StatefulSet, DaemonSet, Job, CronJob, HorizontalPodAutoscaler — with the columns and cells of
 * k8s.io/kubernetes pkg/printers/internalversion/printers.go (printPod, printDeployment, …).
 */
import type { Obj } from '../store.js';
import { humanDuration, since } from './duration.js';
import { AGE, arr, col, containerCells, formatLabels, formatSelector, int, NAME, rec, selectorString, spec, status, str, templateSpec, type Cell, type Printer, type PrintContext, type RowCondition } from './table.js';

const CONTAINERS = col('Containers', 'Names of each container in the template.', { priority: 1 });
const IMAGES = col('Images', 'Images referenced by each container in the template.', { priority: 1 });
const SELECTOR = col('Selector', 'A label query over pods that should match the replica count.', { priority: 1 });

const isTerminal = (phase: string) => phase === 'Succeeded' || phase === 'Failed';
const conditionTrue = (o: Obj, type: string) => arr(status(o).conditions).some((c) => c.type === type && c.status === 'True');

/** Later of two RFC 3339 times ('' is the zero time). */
const later = (a: string, b: string) => (!a || (b && Date.parse(b) > Date.parse(a)) ? b : a);

/** The STATUS, READY and RESTARTS of a pod, as printPod computes them. */
export function podSummary(pod: Obj, now: number): { ready: string; reason: string; restarts: string } {
  const ps = spec(pod);
  const st = status(pod);
  const phase = str(st.phase);
  let reason = str(st.reason) || phase;
  for (const c of arr(st.conditions)) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const initSpecs = new Map(arr(ps.initContainers).map((c) => [str(c.name), c]));
  const restartable = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';
  const total = arr(ps.containers).length + arr(ps.initContainers).filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  let initializing = false;
  const inits = arr(st.initContainerStatuses);
  for (const [i, c] of inits.entries()) {
    const state = rec(c.state);
    const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
    const waiting = state.waiting === undefined ? undefined : rec(state.waiting);
    const finished = str(rec(rec(c.lastState).terminated).finishedAt);
    restarts += int(c.restartCount);
    lastRestart = later(lastRestart, finished);
    if (restartable(str(c.name))) {
      sidecarRestarts += int(c.restartCount);
      lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (restartable(str(c.name)) && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (terminated) {
      if (str(terminated.reason)) reason = `Init:${str(terminated.reason)}`;
      else reason = int(terminated.signal) ? `Init:Signal:${int(terminated.signal)}` : `Init:ExitCode:${int(terminated.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${arr(ps.initContainers).length}`;
    initializing = true;
    break;
  }
  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(st.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      const state = rec(c.state);
      const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
      const waiting = state.waiting === undefined ? undefined : rec(state.waiting);
      restarts += int(c.restartCount);
      lastRestart = later(lastRestart, str(rec(rec(c.lastState).terminated).finishedAt));
      if (waiting && str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
      else if (terminated) reason = int(terminated.signal) ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`;
      else if (c.ready === true && state.running !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod with a container still running is not Completed.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminal(phase)) reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

export const pods: Printer = {
  columns: [
    NAME,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'podIP address allocated to the pod.', { priority: 1 }),
    col('Node', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
    col('Nominated Node', 'nominatedNodeName is set when this pod preempts other pods on the node.', { priority: 1 }),
    col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', { priority: 1 }),
  ],
  cells(o: Obj, ctx: PrintContext): Cell[] {
    const s = podSummary(o, ctx.now);
    const st = status(o);
    const ip = str(rec(arr(st.podIPs)[0]).ip) || str(st.podIP) || '<none>';
    const gates = arr(spec(o).readinessGates);
    const conds = arr(st.conditions);
    const gateText = gates.length ? `${gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}` : '<none>';
    return [str(o.metadata.name), s.ready, s.reason, s.restarts, since(o.metadata.creationTimestamp, ctx.now), ip, str(spec(o).nodeName) || '<none>', str(st.nominatedNodeName) || '<none>', gateText];
  },
  conditions(o: Obj): RowCondition[] | undefined {
    const phase = str(status(o).phase);
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};

const replicas = (o: Obj): number => (spec(o).replicas === undefined ? 1 : int(spec(o).replicas));

export const deployments: Printer = {
  columns: [NAME, col('Ready', 'Number of the pod with ready state'), col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'), col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'), AGE, CONTAINERS, IMAGES, SELECTOR],
  cells(o, ctx) {
    const st = status(o);
    const [names, images] = containerCells(templateSpec(o));
    return [str(o.metadata.name), `${int(st.readyReplicas)}/${replicas(o)}`, int(st.updatedReplicas), int(st.availableReplicas), since(o.metadata.creationTimestamp, ctx.now), names, images, selectorString(spec(o).selector)];
  },
};

const rsColumns = [NAME, col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }), col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }), col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }), AGE, CONTAINERS, IMAGES, SELECTOR];

/** ReplicaSets and ReplicationControllers print alike but for how their selector is written. */
function replicaPrinter(selector: (o: Obj) => string): Printer {
  return {
    columns: rsColumns,
    cells(o, ctx) {
      const st = status(o);
      const [names, images] = containerCells(templateSpec(o));
      return [str(o.metadata.name), replicas(o), int(st.replicas), int(st.readyReplicas), since(o.metadata.creationTimestamp, ctx.now), names, images, selector(o)];
    },
  };
}

export const replicaSets = replicaPrinter((o) => formatSelector(spec(o).selector));
export const replicationControllers = replicaPrinter((o) => formatLabels(spec(o).selector));

export const statefulSets: Printer = {
  columns: [NAME, col('Ready', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  cells(o, ctx) {
    const [names, images] = containerCells(templateSpec(o));
    return [str(o.metadata.name), `${int(status(o).readyReplicas)}/${replicas(o)}`, since(o.metadata.creationTimestamp, ctx.now), names, images];
  },
};

export const daemonSets: Printer = {
  columns: [
    NAME,
    col('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
    col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    col('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
    col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(o, ctx) {
    const st = status(o);
    const [names, images] = containerCells(templateSpec(o));
    return [str(o.metadata.name), int(st.desiredNumberScheduled), int(st.currentNumberScheduled), int(st.numberReady), int(st.updatedNumberScheduled), int(st.numberAvailable), formatLabels(templateSpec(o).nodeSelector), since(o.metadata.creationTimestamp, ctx.now), names, images, formatSelector(spec(o).selector)];
  },
};

function jobStatus(o: Obj): string {
  if (conditionTrue(o, 'Complete')) return 'Complete';
  if (conditionTrue(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(o, 'Suspended')) return 'Suspended';
  if (conditionTrue(o, 'FailureTarget')) return 'FailureTarget';
  if (conditionTrue(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export const jobs: Printer = {
  columns: [NAME, col('Status', 'Status of the job.'), col('Completions', 'The number of pods which reached phase Succeeded.'), col('Duration', 'Time required to complete the job.'), AGE, CONTAINERS, IMAGES, SELECTOR],
  cells(o, ctx) {
    const st = status(o);
    const sp = spec(o);
    const succeeded = int(st.succeeded);
    let completions: string;
    if (sp.completions !== undefined && sp.completions !== null) completions = `${succeeded}/${int(sp.completions)}`;
    else completions = int(sp.parallelism) > 1 ? `${succeeded}/1 of ${int(sp.parallelism)}` : `${succeeded}/1`;
    const start = typeof st.startTime === 'string' ? Date.parse(st.startTime) : undefined;
    const end = typeof st.completionTime === 'string' ? Date.parse(st.completionTime) : ctx.now;
    const duration = start === undefined ? '' : humanDuration(end - start);
    const [names, images] = containerCells(templateSpec(o));
    return [str(o.metadata.name), jobStatus(o), completions, duration, since(o.metadata.creationTimestamp, ctx.now), names, images, formatSelector(sp.selector)];
  },
};

const boolPtr = (v: unknown) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>');

export const cronJobs: Printer = {
  columns: [
    NAME,
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'The time zone name for the given schedule.'),
    col('Suspend', 'This flag tells the controller to suspend subsequent executions.', { type: 'boolean' }),
    col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(o, ctx) {
    const sp = spec(o);
    const st = status(o);
    const jobSpec = rec(rec(sp.jobTemplate).spec);
    const [names, images] = containerCells(rec(rec(jobSpec.template).spec));
    const last = st.lastScheduleTime ? since(st.lastScheduleTime, ctx.now) : '<none>';
    return [str(o.metadata.name), str(sp.schedule), str(sp.timeZone) || '<none>', boolPtr(sp.suspend), arr(st.active).length, last, since(o.metadata.creationTimestamp, ctx.now), names, images, formatSelector(jobSpec.selector)];
  },
};

/** The TARGETS of an HPA for resource metrics (`cpu: 40%/80%`); other metric types as upstream's `<unknown type>`. */
function hpaTargets(o: Obj): string {
  const metrics = arr(spec(o).metrics);
  if (!metrics.length) return '<none>';
  const current = arr(status(o).currentMetrics);
  const parts = metrics.map((m, i) => {
    if (m.type !== 'Resource') return '<unknown type>';
    const r = rec(m.resource);
    const target = rec(r.target);
    const cur = rec(rec(current[i]).resource);
    const now = target.averageUtilization !== undefined ? (rec(cur.current).averageUtilization !== undefined ? `${int(rec(cur.current).averageUtilization)}%` : '<unknown>') : str(rec(cur.current).averageValue) || '<unknown>';
    const want = target.averageUtilization !== undefined ? `${int(target.averageUtilization)}%` : str(target.averageValue) || '<auto>';
    return `${str(r.name)}: ${now}/${want}`;
  });
  const shown = parts.slice(0, 2).join(', ');
  return parts.length > 2 ? `${shown} + ${parts.length - 2} more...` : shown;
}

export const horizontalPodAutoscalers: Printer = {
  columns: [NAME, col('Reference', 'reference to scaled resource'), col('Targets', 'metrics used to calculate the desired replica count'), col('MinPods', 'lower limit for the number of pods'), col('MaxPods', 'upper limit for the number of pods', { type: 'integer' }), col('Replicas', 'current number of replicas', { type: 'integer' }), AGE],
  cells(o, ctx) {
    const ref = rec(spec(o).scaleTargetRef);
    const min = spec(o).minReplicas === undefined ? '<unset>' : String(int(spec(o).minReplicas));
    return [str(o.metadata.name), `${str(ref.kind)}/${str(ref.name)}`, hpaTargets(o), min, int(spec(o).maxReplicas), int(status(o).currentReplicas), since(o.metadata.creationTimestamp, ctx.now)];
  },
};
