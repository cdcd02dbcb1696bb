/**
 * An AppViewsApi for route and CLI tests: app × env web/dev with a Deployment, its ReplicaSet and
 * two pods (web-1 with containers web and proxy, web-2 with web), a Service and a drifted
 * ConfigMap. Each container's log is two lines; a followed log sends a third line a moment later,
 * then ends. Every other app × env is unknown.
 */
import { Readable } from 'node:stream';
import type { AppViewsApi, PodItem, PodLogRequest } from '../../src/engine/app-views.js';
import { RefusedError } from '../../src/engine/errors.js';
import type { AppTree, TreeNode } from '../../src/engine/tree.js';

const node = (uid: string, kind: string, name: string, over: Partial<TreeNode> = {}): TreeNode => ({ uid, apiVersion: kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1', kind, namespace: 'shop-dev', name, parents: [], managed: true, health: { status: 'Healthy' }, ...over });

export const TREE: AppTree = {
  app: 'web',
  env: 'dev',
  namespace: 'shop-dev',
  nodes: [
    node('cm', 'ConfigMap', 'web', { sync: 'OutOfSync' }),
    node('svc', 'Service', 'web', { sync: 'Synced', info: { type: 'ClusterIP' } }),
    node('dep', 'Deployment', 'web', { sync: 'Synced', health: { status: 'Progressing', message: 'Waiting for rollout to finish: 1 of 2 updated replicas are available...' }, info: { images: 'registry.example.com/web:1.2.0', ready: '1/2' } }),
    node('old', 'ConfigMap', 'web-old', { sync: 'Extraneous' }),
    node('rs', 'ReplicaSet', 'web-7d9f', { managed: false, parents: ['dep'], health: { status: 'Progressing' }, info: { ready: '1/2', revision: '2' } }),
    node('p1', 'Pod', 'web-1', { managed: false, parents: ['rs'], info: { phase: 'Running', ready: '2/2', restarts: '0' } }),
    node('p2', 'Pod', 'web-2', { managed: false, parents: ['rs'], health: { status: 'Degraded', message: 'back-off 40s restarting failed container' }, info: { phase: 'Running', reason: 'CrashLoopBackOff', ready: '0/1', restarts: '4' } }),
  ],
};

export const PODS: PodItem[] = [
  { name: 'web-1', containers: ['web', 'proxy'], phase: 'Running', ready: '2/2', restarts: 0 },
  { name: 'web-2', containers: ['web'], phase: 'Running', ready: '0/1', restarts: 4 },
];

function known(app: string, env: string): void {
  if (app !== 'web' || env !== 'dev') throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
}

export class FakeViewsApi implements AppViewsApi {
  readonly logRequests: (PodLogRequest & { pod: string })[] = [];

  environments() {
    return { revision: 'a'.repeat(40), items: ['dev', 'test', 'prod'].map((name) => ({ name, namespace: `shop-${name}`, apps: ['web', 'api'] })) };
  }

  async tree(app: string, env: string): Promise<AppTree> {
    known(app, env);
    return TREE;
  }

  async events(app: string, env: string) {
    known(app, env);
    return { items: [] };
  }

  async pods(app: string, env: string) {
    known(app, env);
    return { items: PODS };
  }

  async podLog(app: string, env: string, pod: string, request: PodLogRequest): Promise<Readable> {
    known(app, env);
    this.logRequests.push({ pod, ...request });
    const p = PODS.find((x) => x.name === pod);
    if (!p) throw new RefusedError('not-found', `${app}/${env} has no pod ${pod}`);
    const container = request.container ?? p.containers[0];
    const lines = [`${pod}/${container} line 1\n`, `${pod}/${container} line 2\n`].slice(-(request.tailLines ?? 2) || 2);
    if (!request.follow) return Readable.from(lines);
    const stream = new Readable({ read() {} });
    for (const l of lines) stream.push(l);
    // A line that comes later, in two pieces (a line may arrive split across chunks), then the end.
    setTimeout(() => stream.push(`${pod}/${container} fol`), 50);
    setTimeout(() => {
      stream.push('lowed\n');
      stream.push(null);
    }, 100);
    return stream;
  }
}
