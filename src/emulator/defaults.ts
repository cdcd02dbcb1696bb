/**
 * Server-set defaults a real API server adds on create/update and that show up in `kubectl get
 * -o yaml` (k8s.io/kubernetes pkg/apis/{apps,core}/v1/defaults.go). Only the cheap, visible ones —
 * enough that a diff must prove it ignores them.
 */
import { isMap, type Json } from './patch/merge.js';

type Map = { [k: string]: Json };

function setDefault(m: Map, key: string, value: Json): void {
  if (m[key] === undefined) m[key] = value;
}

function child(m: Map, key: string): Map {
  if (!isMap(m[key])) m[key] = {};
  return m[key] as Map;
}

/** Go's imagePullPolicy default: Always for `:latest` or an untagged image, else IfNotPresent. */
function pullPolicy(image: string): string {
  const name = image.split('@')[0];
  const tag = /:([^/:]+)$/.exec(name)?.[1];
  return image.includes('@') || (tag !== undefined && tag !== 'latest') ? 'IfNotPresent' : 'Always';
}

function defaultContainer(c: Map): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', pullPolicy(String(c.image ?? '')));
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isMap(p)) setDefault(p, 'protocol', 'TCP');
}

export function defaultPodSpec(spec: Map): void {
  for (const list of ['containers', 'initContainers']) if (Array.isArray(spec[list])) for (const c of spec[list] as Json[]) if (isMap(c)) defaultContainer(c);
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
}

function defaultTemplate(spec: Map): void {
  const tpl = child(spec, 'template');
  child(tpl, 'metadata');
  defaultPodSpec(child(tpl, 'spec'));
}

function defaultDeployment(spec: Map): void {
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'strategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(spec);
}

let nextIp = 10;

function defaultService(spec: Map): void {
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    // Allocated from 10.96.0.0/12 like a kubeadm cluster's service CIDR.
    setDefault(spec, 'clusterIP', `10.96.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`);
    setDefault(spec, 'clusterIPs', [spec.clusterIP as Json]);
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isMap(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      setDefault(p, 'targetPort', p.port ?? null);
    }
  }
}

/**
 * A Secret's stringData is write-only: the API server base64-encodes it into data (stringData wins
 * on a shared key) and never stores it (pkg/apis/core/v1/conversion.go).
 */
function foldStringData(obj: Map): void {
  setDefault(obj, 'type', 'Opaque');
  if (!isMap(obj.stringData)) return;
  const data = child(obj, 'data');
  for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
  delete obj.stringData;
}

/** Applies the defaults for the object's kind in place; `before` is the live object on update. */
export function applyDefaults(obj: Map, before?: Map): void {
  const apiVersion = String(obj.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = String(obj.kind ?? '');
  const spec = isMap(obj.spec) ? obj.spec : undefined;
  // An update keeps the allocated cluster IP (the service REST strategy copies it over).
  const liveSpec = before && isMap(before.spec) ? before.spec : undefined;
  if (kind === 'Service' && spec && liveSpec && spec.clusterIP === undefined && liveSpec.clusterIP !== undefined) {
    spec.clusterIP = liveSpec.clusterIP;
    spec.clusterIPs = liveSpec.clusterIPs ?? [liveSpec.clusterIP];
  }
  if (group === 'apps' && kind === 'Deployment') defaultDeployment(child(obj, 'spec'));
  else if (group === 'apps' && (kind === 'StatefulSet' || kind === 'ReplicaSet')) {
    const s = child(obj, 'spec');
    setDefault(s, 'replicas', 1);
    if (kind === 'StatefulSet') {
      setDefault(s, 'podManagementPolicy', 'OrderedReady');
      setDefault(s, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(s, 'revisionHistoryLimit', 10);
    }
    defaultTemplate(s);
  } else if (group === 'apps' && kind === 'DaemonSet') {
    const s = child(obj, 'spec');
    setDefault(s, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    setDefault(s, 'revisionHistoryLimit', 10);
    defaultTemplate(s);
  } else if (group === 'batch' && kind === 'Job') {
    const s = child(obj, 'spec');
    setDefault(s, 'backoffLimit', 6);
    setDefault(s, 'completions', 1);
    setDefault(s, 'parallelism', 1);
    defaultTemplate(s);
  } else if (group === '' && kind === 'Service') defaultService(child(obj, 'spec'));
  else if (group === '' && kind === 'Pod' && spec) defaultPodSpec(spec);
  else if (group === '' && kind === 'Secret') foldStringData(obj);
  else if (group === '' && kind === 'Namespace') {
    setDefault(child(obj, 'spec'), 'finalizers', ['kubernetes']);
    const meta = child(obj, 'metadata');
    child(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name ?? null;
  }
}
