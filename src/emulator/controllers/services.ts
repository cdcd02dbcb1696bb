/**
 * The cloud and storage controllers, reduced to what a client observes: a LoadBalancer Service
 * gets an ingress IP (stable per uid, in the 172.18.255.0/24 range a kind + MetalLB setup uses),
 * an Ingress the same, and a PersistentVolumeClaim is Bound with the capacity it requested.
 */
import { createHash } from 'node:crypto';
import type { Obj } from '../store.js';
import { objKey, rec, splitKey, writeStatus, type Ctx, type J } from './context.js';
import type { Controller } from './controller.js';

const SERVICES = '/services';
const PVCS = '/persistentvolumeclaims';
const INGRESSES = 'networking.k8s.io/ingresses';

function lbIp(o: Obj): string {
  const n = createHash('sha256').update(String(o.metadata.uid)).digest()[0];
  return `172.18.255.${(n % 200) + 1}`;
}

export function serviceController(ctx: Ctx): Controller {
  const key = (resource: string) => (e: { type: string; object: Obj }) => (e.type === 'DELETED' ? [] : [`${resource}|${objKey(e.object)}`]);
  return {
    name: 'service-controller',
    watches: { [SERVICES]: key(SERVICES), [PVCS]: key(PVCS), [INGRESSES]: key(INGRESSES) },
    sync(k) {
      const [resource, rest] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
      const [ns, name] = splitKey(rest);
      const o = ctx.store.get(resource, ns, name);
      if (!o) return;
      const spec = rec(o.spec);
      let status: J | undefined;
      if (resource === SERVICES) status = spec.type === 'LoadBalancer' ? { loadBalancer: { ingress: [{ ip: lbIp(o), ipMode: 'VIP' }] } } : o.status ? undefined : { loadBalancer: {} };
      else if (resource === INGRESSES) status = { loadBalancer: { ingress: [{ ip: lbIp(o) }] } };
      else status = { phase: 'Bound', accessModes: spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage: rec(rec(spec.resources).requests).storage ?? '1Gi' } };
      if (status) writeStatus(ctx, resource, o, status);
    },
  };
}
