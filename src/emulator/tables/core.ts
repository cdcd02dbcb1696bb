/**
 * Printers of the core, networking, storage, RBAC, coordination and other built-in kinds, with the
 * columns and cells of k8s.io/kubernetes pkg/printers/internalversion/printers.go, and the
 * default table (Name, Created At) of k8s.io/apiserver's default table convertor for the rest.
 */
import type { Obj } from '../store.js';
import { since } from './duration.js';
import { AGE, arr, col, formatLabels, formatSelector, int, NAME, rec, spec, status, str, type Cell, type Printer } from './table.js';

const age = (o: Obj, now: number) => since(o.metadata.creationTimestamp, now);

/** rest.NewDefaultTableConvertor: the name and the creation time in RFC 3339, UTC. */
function createdAt(o: Obj): string {
  const t = str(o.metadata.creationTimestamp);
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const CREATED_AT = col('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' });

export const defaultPrinter: Printer = {
  columns: [NAME, CREATED_AT],
  cells: (o) => [str(o.metadata.name), createdAt(o)],
};

/** A printer of the name, then `extra` cells, then the age. */
function simple(columns: Parameters<typeof col>[], extra: (o: Obj) => Cell[]): Printer {
  return { columns: [NAME, ...columns.map((c) => col(...c)), AGE], cells: (o, ctx) => [str(o.metadata.name), ...extra(o), age(o, ctx.now)] };
}

/** loadBalancerStatusStringer (wide): the ingress IPs or hostnames, sorted and de-duplicated. */
function loadBalancer(lb: unknown): string {
  const set = new Set(arr(rec(lb).ingress).map((i) => str(i.ip) || str(i.hostname)).filter(Boolean));
  return [...set].sort().join(',');
}

function serviceExternalIP(o: Obj): string {
  const sp = spec(o);
  const external = arr(sp.externalIPs).map(str);
  switch (str(sp.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancer(rec(status(o).loadBalancer));
      if (external.length) return [...(lb ? lb.split(',') : []), ...external].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(sp.externalName);
    default:
      return '<unknown>';
  }
}

export function servicePorts(ports: unknown): string {
  return arr(ports).map((p) => (int(p.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${str(p.protocol) || 'TCP'}` : `${int(p.port)}/${str(p.protocol) || 'TCP'}`)).join(',');
}

export const services: Printer = {
  columns: [NAME, col('Type', 'type determines how the Service is exposed.'), col('Cluster-IP', 'clusterIP is the IP address of the service.'), col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'), col('Port(s)', 'The list of ports that are exposed by this service.'), AGE, col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 })],
  cells(o, ctx) {
    const sp = spec(o);
    return [str(o.metadata.name), str(sp.type) || 'ClusterIP', str(sp.clusterIP) || '<none>', serviceExternalIP(o), servicePorts(sp.ports) || '<none>', age(o, ctx.now), formatLabels(sp.selector)];
  },
};

/** formatEndpoints: up to three `ip:port`, then `+ N more...`. */
function formatEndpoints(o: Obj): string {
  const subsets = arr(o.subsets);
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) for (const port of arr(ss.ports)) for (const addr of arr(ss.addresses)) {
    if (list.length < 3) list.push(str(addr.ip).includes(':') ? `[${str(addr.ip)}]:${int(port.port)}` : `${str(addr.ip)}:${int(port.port)}`);
    count++;
  }
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export const endpoints = simple([['Endpoints', 'Endpoints of the service.']], (o) => [formatEndpoints(o)]);

export const endpointSlices: Printer = simple([['AddressType', 'Type of address carried by this EndpointSlice.'], ['Ports', 'Ports of the endpoints.'], ['Endpoints', 'Addresses of the endpoints.']], (o) => {
  const ports = arr(o.ports);
  const addrs = arr(o.endpoints).flatMap((e) => arr(e.addresses).map(str));
  const shown = addrs.slice(0, 3).join(',');
  return [str(o.addressType), ports.length ? ports.map((p) => String(int(p.port))).join(',') : '<unset>', addrs.length ? (addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown) : '<unset>'];
});

export const configMaps = simple([['Data', 'Data contains the configuration data.', { type: 'integer' }]], (o) => [Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length]);

export const secrets = simple([['Type', 'Used to facilitate programmatic handling of secret data.'], ['Data', 'Data contains the secret data.', { type: 'integer' }]], (o) => [str(o.type) || 'Opaque', new Set([...Object.keys(rec(o.data)), ...Object.keys(rec(o.stringData))]).size]);

export const serviceAccounts = simple([['Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { type: 'integer' }]], (o) => [arr(o.secrets).length]);

export const namespaces = simple([['Status', 'The status of the namespace']], (o) => [str(status(o).phase) || 'Active']);

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted. */
function nodeRoles(o: Obj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

const address = (o: Obj, type: string) => str(arr(status(o).addresses).find((a) => a.type === type)?.address) || '<none>';

export const nodes: Printer = {
  columns: [
    NAME,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    col('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells(o, ctx) {
    const ready = arr(status(o).conditions).find((c) => c.type === 'Ready');
    const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
    if (spec(o).unschedulable === true) states.push('SchedulingDisabled');
    const info = rec(status(o).nodeInfo);
    return [str(o.metadata.name), states.join(','), nodeRoles(o), age(o, ctx.now), str(info.kubeletVersion), address(o, 'InternalIP'), address(o, 'ExternalIP'), str(info.osImage) || '<unknown>', str(info.kernelVersion) || '<unknown>', str(info.containerRuntimeVersion) || '<unknown>'];
  },
};

function eventSource(component: string, instance: string): string {
  if (!component && !instance) return '';
  return instance ? `${component}, ${instance}` : component;
}

const EVENT_COLUMNS = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  col('Object', 'The object that this event is about.'),
  col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', { priority: 1 }),
  col('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
  col('Message', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
  col('Count', 'The number of times this event has occurred.', { priority: 1 }),
  col('Name', 'Name must be unique within a namespace.', { priority: 1, format: 'name' }),
];

interface EventView { first: unknown; last: unknown; eventTime: unknown; series: unknown; count: number; target: unknown; type: unknown; reason: unknown; source: string; message: unknown }

function eventCells(o: Obj, v: EventView, now: number): Cell[] {
  const first = v.first ? since(v.first, now) : since(v.eventTime, now);
  let last = v.last ? since(v.last, now) : first;
  let count = v.count;
  const series = rec(v.series);
  if (v.series) {
    last = since(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) count = 1;
  const t = rec(v.target);
  const target = str(t.name) ? `${str(t.kind).toLowerCase()}/${str(t.name)}` : str(t.kind).toLowerCase();
  return [last, str(v.type), str(v.reason), target, str(t.fieldPath), v.source, str(v.message).trim(), first, count, str(o.metadata.name)];
}

/** core/v1 Events, as `kubectl get events` lists them. */
export const events: Printer = {
  columns: EVENT_COLUMNS,
  cells(o, ctx) {
    const src = rec(o.source);
    return eventCells(o, { first: o.firstTimestamp, last: o.lastTimestamp, eventTime: o.eventTime, series: o.series, count: int(o.count), target: o.involvedObject, type: o.type, reason: o.reason, source: eventSource(str(src.component) || str(o.reportingComponent), str(src.host) || str(o.reportingInstance)), message: o.message }, ctx.now);
  },
};

/** events.k8s.io/v1 Events: the same table from the newer field names. */
export const eventsV1: Printer = {
  columns: EVENT_COLUMNS,
  cells(o, ctx) {
    const src = rec(o.deprecatedSource);
    return eventCells(o, { first: o.deprecatedFirstTimestamp, last: o.deprecatedLastTimestamp, eventTime: o.eventTime, series: o.series, count: int(o.deprecatedCount), target: o.regarding, type: o.type, reason: o.reason, source: eventSource(str(src.component) || str(o.reportingController), str(src.host) || str(o.reportingInstance)), message: o.note }, ctx.now);
  },
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, comma-joined. */
function accessModes(modes: unknown): string {
  const have = new Set(arr(modes).map(str));
  return [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']].filter(([m]) => have.has(m)).map(([, s]) => s).join(',');
}

export const persistentVolumeClaims: Printer = {
  columns: [NAME, col('Status', 'phase represents the current phase of PersistentVolumeClaim.'), col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'), col('Capacity', 'capacity represents the actual resources of the underlying volume.'), col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'), col('StorageClass', 'StorageClass of the pvc'), col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'), AGE, col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 })],
  cells(o, ctx) {
    const sp = spec(o);
    const st = status(o);
    const phase = o.metadata.deletionTimestamp ? 'Terminating' : str(st.phase);
    const bound = str(sp.volumeName) !== '';
    const cls = (o.metadata.annotations ?? {})['volume.beta.kubernetes.io/storage-class'] ?? str(sp.storageClassName);
    return [str(o.metadata.name), phase, str(sp.volumeName), bound ? str(rec(st.capacity).storage) : '', bound ? accessModes(st.accessModes) : '', cls, str(sp.volumeAttributesClassName) || '<unset>', age(o, ctx.now), str(sp.volumeMode) || '<unset>'];
  },
};

export const persistentVolumes: Printer = {
  columns: [NAME, col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'), col('Access Modes', 'accessModes contains all ways the volume can be mounted.'), col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'), col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'), col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'), col('StorageClass', 'StorageClass of the pv'), col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'), col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'), AGE, col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', { priority: 1 })],
  cells(o, ctx) {
    const sp = spec(o);
    const claim = rec(sp.claimRef);
    const cls = (o.metadata.annotations ?? {})['volume.beta.kubernetes.io/storage-class'] ?? str(sp.storageClassName);
    return [str(o.metadata.name), str(rec(sp.capacity).storage), accessModes(sp.accessModes), str(sp.persistentVolumeReclaimPolicy), o.metadata.deletionTimestamp ? 'Terminating' : str(status(o).phase), sp.claimRef ? `${str(claim.namespace)}/${str(claim.name)}` : '', cls, str(sp.volumeAttributesClassName) || '<unset>', str(status(o).reason), age(o, ctx.now), str(sp.volumeMode) || '<unset>'];
  },
};

/** formatHosts: up to three hosts, `*` when none. */
function ingressHosts(rules: unknown): string {
  const rs = arr(rules);
  const hosts = rs.slice(0, 3).map((r) => str(r.host)).filter(Boolean);
  if (!hosts.length) return '*';
  return rs.length > 3 ? `${hosts.join(',')} + ${rs.length - 3} more...` : hosts.join(',');
}

export const ingresses: Printer = {
  columns: [NAME, col('Class', 'The name of the IngressClass resource that should be used for ingress'), col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'), col('Address', 'Address is a list containing ingress points for the load-balancer'), col('Ports', 'Ports of TLS configurations that open'), AGE],
  cells(o, ctx) {
    const sp = spec(o);
    return [str(o.metadata.name), str(sp.ingressClassName) || '<none>', ingressHosts(sp.rules), loadBalancer(rec(status(o).loadBalancer)), arr(sp.tls).length ? '80, 443' : '80', age(o, ctx.now)];
  },
};

export const ingressClasses = simple([['Controller', 'Controller that is responsible for handling this class'], ['Parameters', 'A reference to a resource with additional parameters']], (o) => {
  const p = rec(spec(o).parameters);
  return [str(spec(o).controller), spec(o).parameters ? `${str(p.kind)}.${str(p.apiGroup)}/${str(p.name)}`.replace(/\.\//, '/') : '<none>'];
});

export const networkPolicies = simple([['Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.']], (o) => [formatSelector(spec(o).podSelector)]);

export const leases = simple([['Holder', 'holderIdentity contains the identity of the holder of a current lease.']], (o) => [str(spec(o).holderIdentity)]);

const subjects = (o: Obj, kind: string) => arr(o.subjects).filter((s) => s.kind === kind).map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}/${str(s.name)}` : str(s.name))).join(', ');

export const roleBindings: Printer = {
  columns: [NAME, col('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'), AGE, col('Users', 'Users in the roleBinding', { priority: 1 }), col('Groups', 'Groups in the roleBinding', { priority: 1 }), col('ServiceAccounts', 'ServiceAccounts in the roleBinding', { priority: 1 })],
  cells(o, ctx) {
    const ref = rec(o.roleRef);
    return [str(o.metadata.name), `${str(ref.kind)}/${str(ref.name)}`, age(o, ctx.now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')];
  },
};

export const podDisruptionBudgets = simple(
  [['Min Available', 'The minimum number of pods that must be available.'], ['Max Unavailable', 'The maximum number of pods that may be unavailable.'], ['Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }]],
  (o) => [spec(o).minAvailable === undefined ? 'N/A' : String(spec(o).minAvailable), spec(o).maxUnavailable === undefined ? 'N/A' : String(spec(o).maxUnavailable), int(status(o).disruptionsAllowed)],
);

export const storageClasses: Printer = {
  columns: [NAME, col('Provisioner', 'provisioner indicates the type of the provisioner.'), col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'), col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'), col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'), AGE],
  cells(o, ctx) {
    const ann = o.metadata.annotations ?? {};
    const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [`${str(o.metadata.name)}${isDefault ? ' (default)' : ''}`, str(o.provisioner), str(o.reclaimPolicy) || 'Delete', str(o.volumeBindingMode) || 'Immediate', o.allowVolumeExpansion === true ? 'true' : 'false', age(o, ctx.now)];
  },
};

export const priorityClasses = simple([['Value', 'value represents the integer value of this priority class.', { type: 'integer' }], ['Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.', { type: 'boolean' }], ['Preemption Policy', 'preemptionPolicy is the Policy for preempting pods with lower priority.']], (o) => [int(o.value), o.globalDefault === true, str(o.preemptionPolicy) || 'PreemptLowerPriority']);

export const webhookConfigurations = simple([['Webhooks', 'Webhooks indicates the number of webhooks.', { type: 'integer' }]], (o) => [arr(o.webhooks).length]);

export const apiServices = simple([['Service', 'The reference to the service that hosts this API endpoint.'], ['Available', 'Whether this service is available.']], (o) => {
  const svc = rec(spec(o).service);
  const cond = arr(status(o).conditions).find((c) => c.type === 'Available');
  const available = !cond ? 'Unknown' : cond.status === 'True' ? 'True' : `${str(cond.status)} (${str(cond.reason)})`;
  return [spec(o).service ? `${str(svc.namespace)}/${str(svc.name)}` : 'Local', available];
});

export const controllerRevisions = simple([['Controller', 'Controller of the object'], ['Revision', 'Revision indicates the revision of the state represented by Data.', { type: 'integer' }]], (o) => {
  const owner = arr(o.metadata.ownerReferences).find((r) => r.controller === true);
  const group = owner ? str(owner.apiVersion).split('/').slice(0, -1).join('/') : '';
  return [owner ? `${str(owner.kind).toLowerCase()}${group ? `.${group}` : ''}/${str(owner.name)}` : '<none>', int(o.revision)];
});

export const resourceQuotas: Printer = {
  columns: [NAME, AGE, col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'), col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
  cells(o, ctx) {
    const hard = rec(status(o).hard);
    const used = rec(status(o).used);
    const keys = Object.keys(hard).sort();
    const fmt = (ks: string[]) => ks.map((k) => `${k}: ${str(used[k]) || '0'}/${str(hard[k])}`).join(', ');
    return [str(o.metadata.name), age(o, ctx.now), fmt(keys.filter((k) => !k.startsWith('limits.'))), fmt(keys.filter((k) => k.startsWith('limits.')))];
  },
};
