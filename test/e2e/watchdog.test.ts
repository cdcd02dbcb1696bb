/**
 * The sync watchdog end to end: a PreSync hook deleted by hand while it runs fails the sync at
 * once and the retry runs it again — the sync does not wait for the hook until syncTimeout (10m).
 * The emulator completes a Job within a tick (too fast to delete by hand) and reports a new Pod
 * with no phase before its first tick, so the hook that keeps running here is a Deployment whose
 * image never becomes ready (Progressing until it is deleted); the engine watches every hook kind
 * alike.
 */
import assert from 'node:assert/strict';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

const HOLD_HOOK = `{{- if .Values.holdHook }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-hold
  annotations:
    sluice.dev/hook: PreSync
spec:
  replicas: 1
  selector:
    matchLabels: {app: hold}
  template:
    metadata:
      labels: {app: hold}
    spec:
      containers:
        - name: hold
          image: registry.invalid/tools/wait:hold
{{- end }}
`;

describe('sync watchdog end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;

  after(async () => {
    await s?.close();
  });

  it('a PreSync hook deleted by hand fails the sync at once, and the retry runs it again', async () => {
    s = await startScenario(env.cluster, env.git, { files: (files) => void (files['charts/guestbook/templates/hold-hook.yaml'] = HOLD_HOOK) });
    await eventually('guestbook/dev synced once', () => s.status('guestbook', 'dev')?.operation?.phase === 'Succeeded', 60_000);
    const ns = s.ns('dev');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello again from dev"\nholdHook: true\n');
    await s.work.commitAndPush('dev: guestbook waits on a PreSync hook');
    const hookWait = new RegExp(`waiting for PreSync hook Deployment/${ns}/guestbook-hold to complete`);
    let seen = '';
    await eventually('the sync waits for the hook', () => hookWait.test((seen = s.status('guestbook', 'dev')?.message ?? '')), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; status: ${seen}; op: ${JSON.stringify(s.status('guestbook', 'dev')?.operation)}`);
    });

    await s.kubectl('-n', ns, 'delete', 'deployment', 'guestbook-hold', '--wait=false');
    const deletedAt = Date.now();
    const failed = await eventually('the sync fails at once', () => {
      const x = s.status('guestbook', 'dev');
      return x?.operation?.phase === 'Retrying' ? x : undefined;
    }, 5_000);
    assert.ok(Date.now() - deletedAt < 5_000);
    assert.match(failed.message, new RegExp(`^sync failed: PreSync: PreSync hook Deployment/${ns}/guestbook-hold disappeared before it completed \\(deleted, or lost by the cluster\\); retry 1 of 5 in \\d+s$`));

    await eventually('the retry runs the hook again', async () => {
      const x = s.status('guestbook', 'dev');
      return x?.operation?.attempt === 2 && x.operation.phase === 'Running' && hookWait.test(x.message) && (await s.get('apps/v1', 'Deployment', ns, 'guestbook-hold')) !== undefined;
    }, 15_000);
    await eventually('the failed attempt told as an Event', async () => {
      const events = await s.kubectl('get', 'events', '-n', `${s.prefix}-sluice`, '-l', 'sluice.dev/app=guestbook,sluice.dev/env=dev', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
      return /^SyncFailed: release 2 \(\w{7}, auto-sync\) failed: PreSync: PreSync hook Deployment\/\S+\/guestbook-hold disappeared before it completed/m.test(events);
    }, 5_000);
  });
});
