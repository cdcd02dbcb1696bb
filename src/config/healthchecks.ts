/**
 * The `healthChecks:` list of sluice.yaml: user-defined health rules per group/kind, read and
 * validated into the health area's HealthCheckSpec records (src/health/custom.ts evaluates them).
 * A condition's form is chosen by its key — `path` (with equals / in / exists), `condition` (with
 * status) or `observedGeneration` — and then only that form's keys are allowed.
 */
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { RULE_STATUSES, specName, type HealthCheckSpec, type HealthCondition, type HealthMessage, type HealthRule, type Scalar } from '../health/custom.js';
import { describe, field, readEnum, readMap, readSeq, readString, type Cursor } from './reader.js';

const SPEC_FIELDS = ['group', 'kind', 'rules', 'otherwise'];
const RULE_FIELDS = ['status', 'when', 'message'];
const PATH_TESTS = ['equals', 'in', 'exists'] as const;
const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
const POINTER = /^\//;
const POINTER_REASON = 'must be a JSON pointer starting with "/" (e.g. /status/phase)';

export function readHealthChecks(c: Cursor): HealthCheckSpec[] {
  const out: HealthCheckSpec[] = [];
  const seen = new Set<string>();
  for (const item of readSeq(c) ?? []) {
    const spec = readSpec(item);
    if (spec) out.push(spec);
    // Reported even when the entry has other problems, as duplicate env and app names are.
    const id = rawGroupKind(item);
    if (!id) continue;
    const key = specName(id);
    if (seen.has(key)) item.child('kind', (item.node as YAMLMap).get('kind', true) as Node).fail(`duplicate health check for ${key}`);
    seen.add(key);
  }
  return out;
}

/** group/kind straight from the nodes, when both are strings (group may be absent). */
function rawGroupKind(item: Cursor): { group: string; kind: string } | undefined {
  if (!isMap(item.node)) return undefined;
  const group: unknown = item.node.get('group') ?? '';
  const kind: unknown = item.node.get('kind');
  return typeof group === 'string' && typeof kind === 'string' ? { group, kind } : undefined;
}

function readSpec(c: Cursor): HealthCheckSpec | undefined {
  const f = readMap(c, SPEC_FIELDS);
  if (!f) return c.present ? undefined : c.fail('must be a map');
  const group = readString(field(c, f, 'group')) ?? '';
  const kind = readString(field(c, f, 'kind'), { required: true, pattern: /^[A-Za-z][A-Za-z0-9]*$/, patternReason: 'must be a Kind name (letters and digits)' });
  const rulesCursor = field(c, f, 'rules');
  const items = readSeq(rulesCursor);
  if (!rulesCursor.present) rulesCursor.fail('required');
  else if (items?.length === 0) rulesCursor.fail('must list at least one rule');
  const rules = (items ?? []).map(readRule);
  const otherwise = readEnum(field(c, f, 'otherwise'), RULE_STATUSES) ?? 'Progressing';
  if (kind === undefined || rules.some((r) => r === undefined)) return undefined;
  return { group, kind, rules: rules as HealthRule[], otherwise };
}

function readRule(c: Cursor): HealthRule | undefined {
  const f = readMap(c, RULE_FIELDS);
  if (!f) return c.present ? undefined : c.fail('must be a map');
  const status = readEnum(field(c, f, 'status'), RULE_STATUSES, { required: true });
  const whenCursor = field(c, f, 'when');
  const items = readSeq(whenCursor);
  if (!whenCursor.present) whenCursor.fail('required (use the check\'s otherwise: for a catch-all)');
  else if (items?.length === 0) whenCursor.fail('must list at least one condition');
  const when = (items ?? []).map(readCondition);
  const messageCursor = field(c, f, 'message');
  const message = messageCursor.present ? readMessage(messageCursor) : undefined;
  if (status === undefined || when.some((w) => w === undefined) || (messageCursor.present && !message)) return undefined;
  return { status, when: when as HealthCondition[], ...(message ? { message } : {}) };
}

function readCondition(c: Cursor): HealthCondition | undefined {
  if (!c.present) return c.fail('must be a map');
  if (!isMap(c.node)) return c.fail(`must be a map, got ${describe(c.node)}`);
  if (c.node.has('condition')) return readConditionTest(c);
  if (c.node.has('observedGeneration')) return readObservedGeneration(c);
  if (c.node.has('path')) return readPathTest(c);
  return c.fail('needs path (with equals, in or exists), condition (with status) or observedGeneration');
}

function readPathTest(c: Cursor): HealthCondition | undefined {
  const f = readMap(c, ['path', ...PATH_TESTS]);
  const path = readString(field(c, f, 'path'), { required: true, pattern: POINTER, patternReason: POINTER_REASON });
  const tests = PATH_TESTS.filter((t) => f?.get(t)?.present);
  if (tests.length !== 1) return c.fail(`needs exactly one of equals, in or exists${tests.length ? ` (got ${tests.join(', ')})` : ''}`);
  const test = tests[0];
  const arg = field(c, f, test);
  if (test === 'equals') {
    const value = readScalar(arg);
    return path === undefined || value === undefined ? undefined : { test, path, value };
  }
  if (test === 'in') {
    const items = readSeq(arg);
    if (items?.length === 0) return arg.fail('must list at least one value');
    const values = (items ?? []).map(readScalar);
    return path === undefined || !items || values.some((v) => v === undefined) ? undefined : { test, path, values: values as Scalar[] };
  }
  const exists: unknown = isScalar(arg.node) ? arg.node.value : undefined;
  if (typeof exists !== 'boolean') return arg.fail(`must be true or false, got ${describe(arg.node)}`);
  return path === undefined ? undefined : { test, path, exists };
}

function readConditionTest(c: Cursor): HealthCondition | undefined {
  const f = readMap(c, ['condition', 'status']);
  const type = readString(field(c, f, 'condition'), { required: true });
  const status = readEnum(field(c, f, 'status'), CONDITION_STATUSES, { required: true });
  return type === undefined || status === undefined ? undefined : { test: 'condition', type, status };
}

function readObservedGeneration(c: Cursor): HealthCondition | undefined {
  const f = readMap(c, ['observedGeneration']);
  const v = readEnum(field(c, f, 'observedGeneration'), ['current'] as const, { required: true });
  return v === undefined ? undefined : { test: 'observedGeneration' };
}

/** The value an `equals`/`in` compares with: a string, number or boolean. */
function readScalar(c: Cursor): Scalar | undefined {
  const v: unknown = isScalar(c.node) ? c.node.value : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return c.fail(`must be a string, number or boolean, got ${describe(c.node)}`);
}

/** `message: /json/pointer` reads the text from the object; `message: {text: ...}` is fixed text. */
function readMessage(c: Cursor): HealthMessage | undefined {
  if (isMap(c.node)) {
    const f = readMap(c, ['text']);
    const text = readString(field(c, f, 'text'), { required: true });
    return text === undefined ? undefined : { text };
  }
  const pointer = readString(c, { pattern: POINTER, patternReason: 'must be a JSON pointer starting with "/" (e.g. /status/message), or {text: ...} for fixed text' });
  return pointer === undefined ? undefined : { pointer };
}
