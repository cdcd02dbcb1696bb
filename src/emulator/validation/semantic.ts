/**
 * The API server's own validation of built-in kinds — the rules a schema cannot state, from
 * k8s.io/kubernetes pkg/apis/{core,apps}/validation and apimachinery's metadata validation:
 * label and annotation syntax, containers that need a name and an image, port ranges, replicas
 * that may not be negative, a workload selector that must select its own pod template.
 * Each finding is a field error with the API server's type, path and detail.
 */

export type FieldErrorType = 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid' | 'FieldValueTooLong' | 'FieldValueForbidden';

export interface FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  /** Absent for Required/Forbidden/TooLong, which do not print the value. */
  readonly value?: unknown;
  readonly detail?: string;
}

const TYPE_WORDS: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueTooLong: 'Too long',
  FieldValueForbidden: 'Forbidden',
};

/** The value as field.Error prints it: numbers and booleans bare, strings quoted, the rest as JSON. */
function printValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v ?? null);
}

/** field.Error.ErrorBody(): the message without the field path. */
export function errorBody(e: FieldError): string {
  const words = TYPE_WORDS[e.type];
  const base = e.value === undefined || e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'FieldValueTooLong' ? words : `${words}: ${printValue(e.value)}`;
  return e.detail ? `${base}: ${e.detail}` : base;
}

/** ErrorList.ToAggregate().Error(): one message alone, several in brackets, duplicates once. */
export function aggregate(errs: readonly FieldError[]): string {
  const msgs = [...new Set(errs.map((e) => `${e.field}: ${errorBody(e)}`))];
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });

// apimachinery/pkg/util/validation: the regexes and messages of qualified names and label values.
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** validation.RegexError: the message, examples, and the regex. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** validation.IsQualifiedName: a name with an optional DNS subdomain prefix and '/'. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (!prefix) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) errs.push('prefix part ' + regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
    }
  } else {
    return [`a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (!name) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) errs.push('name part ' + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'));
  return errs;
}

function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (value !== '' && !QUALIFIED_NAME.test(value)) errs.push(regexError(LABEL_VALUE_MSG, `(${QUALIFIED_NAME_FMT})?`, 'MyValue', 'my_value', '12345'));
  return errs;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const dict = (v: unknown): Dict => (isDict(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** metav1validation.ValidateLabels. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(dict(labels))) {
    for (const msg of qualifiedNameErrors(k)) out.push(invalid(field, k, msg));
    for (const msg of labelValueErrors(String(v ?? ''))) out.push(invalid(field, v, msg));
  }
  return out;
}

/** apimachineryvalidation.ValidateAnnotations: qualified-name keys (lower-cased), 256 KiB in all. */
export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(dict(annotations))) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) out.push(invalid(field, k, msg));
    size += k.length + String(v ?? '').length;
  }
  if (size > 262144) out.push({ type: 'FieldValueTooLong', field, detail: 'must have at most 262144 bytes' });
  return out;
}

function validateMeta(meta: unknown, field: string): FieldError[] {
  const m = dict(meta);
  return [...validateLabels(m.labels, `${field}.labels`), ...validateAnnotations(m.annotations, `${field}.annotations`)];
}

const RANGE = 'must be between 1 and 65535, inclusive';
const validPort = (p: unknown) => typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;

function validateContainers(containers: unknown, field: string, needOne: boolean): FieldError[] {
  const out: FieldError[] = [];
  const cs = list(containers);
  if (needOne && !cs.length) out.push(required(field));
  const names = new Set<string>();
  cs.forEach((raw, i) => {
    const c = dict(raw);
    const at = `${field}[${i}]`;
    const name = c.name;
    if (typeof name !== 'string' || name === '') out.push(required(`${at}.name`));
    else {
      if (!DNS1123_LABEL.test(name) || name.length > 63) out.push(invalid(`${at}.name`, name, regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc')));
      if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${at}.name`, value: name });
      names.add(name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') out.push(required(`${at}.image`));
    list(c.ports).forEach((rawPort, j) => {
      const p = dict(rawPort);
      const pat = `${at}.ports[${j}]`;
      if (p.containerPort === undefined || p.containerPort === 0) out.push(required(`${pat}.containerPort`));
      else if (!validPort(p.containerPort)) out.push(invalid(`${pat}.containerPort`, p.containerPort, RANGE));
      if (p.hostPort !== undefined && p.hostPort !== 0 && !validPort(p.hostPort)) out.push(invalid(`${pat}.hostPort`, p.hostPort, RANGE));
    });
  });
  return out;
}

/** ValidatePodSpec's container rules (the ones clients trip over). */
export function validatePodSpec(spec: unknown, field: string): FieldError[] {
  const s = dict(spec);
  return [...validateContainers(s.containers, `${field}.containers`, true), ...validateContainers(s.initContainers, `${field}.initContainers`, false)];
}

function validateTemplate(template: unknown, field: string): FieldError[] {
  if (!isDict(template)) return [required(field)];
  return [...validateMeta(template.metadata, `${field}.metadata`), ...validatePodSpec(template.spec, `${field}.spec`)];
}

/** The restart policies a workload's pod template may have (Jobs: OnFailure/Never; the rest: Always). */
function restartPolicy(template: unknown, field: string, allowed: string[]): FieldError[] {
  const policy = dict(dict(template).spec).restartPolicy;
  if (policy === undefined || allowed.includes(String(policy))) return [];
  return [{ type: 'FieldValueNotSupported', field, value: policy, detail: `supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}` }];
}

function nonNegative(v: unknown, field: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : [];
}

/** metav1.LabelSelectorAsSelector(...).Matches(labels); a missing selector selects nothing. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isDict(selector)) return false;
  for (const [k, v] of Object.entries(dict(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const raw of list(selector.matchExpressions)) {
    const e = dict(raw);
    const key = String(e.key);
    const values = list(e.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (e.operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const isEmptySelector = (s: Dict) => Object.keys(dict(s.matchLabels)).length + list(s.matchExpressions).length === 0;

/** ValidateDeploymentSpec / ValidateReplicaSetSpec / StatefulSet / DaemonSet: replicas, selector, template. */
function validateWorkload(kind: string, spec: unknown): FieldError[] {
  const s = dict(spec);
  const out: FieldError[] = [];
  if (kind !== 'DaemonSet') out.push(...nonNegative(s.replicas, 'spec.replicas'));
  out.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (!isDict(s.selector)) out.push(required('spec.selector'));
  else if (isEmptySelector(s.selector)) out.push(invalid('spec.selector', s.selector, `empty selector is invalid for ${kind === 'Deployment' ? 'deployment' : kind.toLowerCase()}`));
  if (!isDict(s.template)) return [...out, required('spec.template')];
  const labels = dict(dict(s.template.metadata).labels) as Record<string, string>;
  if (!isDict(s.selector) || !isEmptySelector(s.selector)) {
    if (!selectorMatches(s.selector, labels)) out.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  out.push(...validateTemplate(s.template, 'spec.template'));
  out.push(...restartPolicy(s.template, 'spec.template.spec.restartPolicy', ['Always']));
  return out;
}

function validateService(spec: unknown): FieldError[] {
  const out: FieldError[] = [];
  list(dict(spec).ports).forEach((raw, i) => {
    const p = dict(raw);
    const at = `spec.ports[${i}]`;
    // A port left out decodes as 0 in the Go struct.
    if (!validPort(p.port)) out.push(invalid(`${at}.port`, p.port ?? 0, RANGE));
    if (typeof p.targetPort === 'number' && p.targetPort !== 0 && !validPort(p.targetPort)) out.push(invalid(`${at}.targetPort`, p.targetPort, RANGE));
    if (typeof p.nodePort === 'number' && p.nodePort !== 0 && !validPort(p.nodePort)) out.push(invalid(`${at}.nodePort`, p.nodePort, RANGE));
  });
  return out;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/** Kinds whose names are labels, not subdomains: a Service's is a DNS name (1035), a Namespace's a path segment (1123). */
function validateName(group: string, kind: string, name: unknown): FieldError[] {
  if (typeof name !== 'string' || group !== '') return [];
  if (kind === 'Service' && (!DNS1035_LABEL.test(name) || name.length > 63)) return [invalid('metadata.name', name, regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'))];
  if (kind === 'Namespace' && (!DNS1123_LABEL.test(name) || name.length > 63)) return [invalid('metadata.name', name, regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'))];
  return [];
}

/** The API server's validation of a built-in object about to be stored (defaults already set). */
export function validateBuiltin(group: string, kind: string, obj: Dict): FieldError[] {
  const out = [...validateName(group, kind, dict(obj.metadata).name), ...validateMeta(obj.metadata, 'metadata')];
  const spec = obj.spec;
  if (group === 'apps' && ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) out.push(...validateWorkload(kind, spec));
  else if (group === '' && kind === 'Pod') out.push(...validatePodSpec(spec, 'spec'));
  else if (group === '' && kind === 'Service') out.push(...validateService(spec));
  else if (group === '' && kind === 'ReplicationController') out.push(...nonNegative(dict(spec).replicas, 'spec.replicas'), ...validateTemplate(dict(spec).template, 'spec.template'));
  else if (group === 'batch' && kind === 'Job') {
    const template = dict(spec).template;
    out.push(...validateTemplate(template, 'spec.template'), ...restartPolicy(template, 'spec.template.spec.restartPolicy', ['OnFailure', 'Never']));
  } else if (group === 'batch' && kind === 'CronJob') {
    const template = dict(dict(dict(spec).jobTemplate).spec).template;
    out.push(...validateTemplate(template, 'spec.jobTemplate.spec.template'), ...restartPolicy(template, 'spec.jobTemplate.spec.template.spec.restartPolicy', ['OnFailure', 'Never']));
  }
  return out;
}

/** JSON with sorted keys: equal values give equal text whatever the order their keys came in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isDict(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

// apps/validation ValidateStatefulSetUpdate: the spec fields an update may change.
const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

/** The rules of an update (ValidateXUpdate): what may not change once stored. */
export function validateBuiltinUpdate(group: string, kind: string, next: Dict, before: Dict): FieldError[] {
  if (group !== 'apps') return [];
  const spec = dict(next.spec);
  const old = dict(before.spec);
  const out: FieldError[] = [];
  if (kind === 'StatefulSet') {
    const frozen = (s: Dict) => canonical(Object.fromEntries(Object.entries(s).filter(([k]) => !STATEFULSET_MUTABLE.has(k))));
    if (frozen(spec) !== frozen(old)) out.push({ type: 'FieldValueForbidden', field: 'spec', detail: "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden" });
  } else if (['Deployment', 'ReplicaSet', 'DaemonSet'].includes(kind) && canonical(spec.selector) !== canonical(old.selector)) {
    out.push(invalid('spec.selector', spec.selector ?? null, 'field is immutable'));
  }
  return out;
}
