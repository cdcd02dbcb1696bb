/**
 * Evaluation of pipelines, commands, arguments, field chains and function calls, ported from
 * Go's text/template/exec.go (evalPipeline … evalCall). `MISSING` is Go's missingVal: no value
 * piped in from the previous command.
 */
import { STRING_FIRST_PARAM } from './builtins.js';
import { ExecFailure, TemplateError, isLimit, isStackOverflow } from './errors.js';
import type { EvalState } from './exec-env.js';
import {
  type ArgNode, BoolNode, ChainNode, CommandNode, DotNode, FieldNode, IdentifierNode, type Node, NilNode,
  NumberNode, PipeNode, StringNode, VariableNode,
} from './node.js';
import { type FuncSpec, type GoValue, GoStruct, isGoMap, isNil, truth, typeOf } from './value.js';
import { errorText } from '../../common/error-text.js';

const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

/** A value plus whether it came out of an interface slot (a map entry), which changes Go's errors on nil. */
interface Slot {
  v: GoValue;
  iface: boolean;
}

export function evalPipeline(s: EvalState, dot: GoValue, pipe: PipeNode): GoValue {
  s.at(pipe);
  let value: Final = MISSING;
  for (const cmd of pipe.cmds) value = evalCommand(s, dot, cmd, value);
  const v = value === MISSING ? null : value;
  for (const variable of pipe.decl) {
    if (pipe.isAssign) s.setVar(variable.ident[0], v);
    else s.push(variable.ident[0], v);
  }
  return v;
}

function notAFunction(s: EvalState, args: ArgNode[], final: Final): void {
  if (args.length > 1 || final !== MISSING) s.errorf(`can't give argument to non-function ${args[0]}`);
}

function evalCommand(s: EvalState, dot: GoValue, cmd: CommandNode, final: Final): GoValue {
  const first = cmd.args[0];
  if (first instanceof FieldNode) return evalFieldNode(s, dot, first, cmd.args, final);
  if (first instanceof ChainNode) return evalChainNode(s, dot, first, cmd.args, final);
  if (first instanceof IdentifierNode) return evalFunction(s, dot, first, cmd, cmd.args, final);
  if (first instanceof PipeNode) {
    notAFunction(s, cmd.args, final);
    return evalPipeline(s, dot, first);
  }
  if (first instanceof VariableNode) return evalVariableNode(s, dot, first, cmd.args, final);
  s.at(first);
  notAFunction(s, cmd.args, final);
  if (first instanceof NilNode) s.errorf('nil is not a command');
  return evalLiteral(dot, first);
}

function evalLiteral(dot: GoValue, n: Node): GoValue {
  if (n instanceof BoolNode) return n.value;
  if (n instanceof DotNode) return dot;
  if (n instanceof NumberNode) return n.int !== null ? n.int : n.float;
  if (n instanceof StringNode) return n.text;
  return null;
}

function evalFieldNode(s: EvalState, dot: GoValue, field: FieldNode, args: ArgNode[], final: Final): GoValue {
  s.at(field);
  return evalFieldChain(s, dot, { v: dot, iface: false }, field, field.ident, args, final);
}

function evalChainNode(s: EvalState, dot: GoValue, chain: ChainNode, args: ArgNode[], final: Final): GoValue {
  s.at(chain);
  if (chain.node instanceof NilNode) s.errorf(`indirection through explicit nil in ${chain}`);
  const pipe = evalArg(s, dot, chain.node);
  return evalFieldChain(s, dot, { v: pipe, iface: false }, chain, chain.field, args, final);
}

function evalVariableNode(s: EvalState, dot: GoValue, variable: VariableNode, args: ArgNode[], final: Final): GoValue {
  s.at(variable);
  const value = s.varValue(variable.ident[0]);
  if (variable.ident.length === 1) {
    notAFunction(s, args, final);
    return value;
  }
  return evalFieldChain(s, dot, { v: value, iface: false }, variable, variable.ident.slice(1), args, final);
}

function evalFieldChain(s: EvalState, dot: GoValue, receiver: Slot, node: Node, ident: string[], args: ArgNode[], final: Final): GoValue {
  let r = receiver;
  for (let i = 0; i < ident.length - 1; i++) r = evalField(s, dot, ident[i], node, [], MISSING, r);
  return evalField(s, dot, ident[ident.length - 1], node, args, final, r).v;
}

/** Go's evalField: a method or field of a struct, or a key of a map. */
function evalField(s: EvalState, dot: GoValue, name: string, node: Node, args: ArgNode[], final: Final, receiver: Slot): Slot {
  const r = receiver.v;
  if (isNil(r)) {
    // A nil that came out of a map is a nil interface{}; a bare nil is Go's invalid value.
    if (receiver.iface) s.errorf(`nil pointer evaluating interface {}.${name}`);
    if (s.env.missingKey === 'error') s.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
    return { v: null, iface: false };
  }
  const hasArgs = args.length > 1 || final !== MISSING;
  const typ = receiver.iface ? 'interface {}' : typeOf(r);
  if (r instanceof GoStruct) {
    const member = (r as unknown as Record<string, unknown>)[name];
    if (typeof member === 'function') {
      const spec: FuncSpec = { fn: member.bind(r) as FuncSpec['fn'], params: 0, variadic: true };
      return { v: evalCall(s, dot, spec, false, node, name, args, final), iface: true };
    }
    if (member !== undefined && name !== 'goType') {
      if (hasArgs) s.errorf(`${name} has arguments but cannot be invoked as function`);
      return { v: member as GoValue, iface: true };
    }
  } else if (isGoMap(r)) {
    if (hasArgs) s.errorf(`${name} is not a method but has arguments`);
    if (Object.prototype.hasOwnProperty.call(r, name)) return { v: r[name] ?? null, iface: true };
    if (s.env.missingKey === 'error') s.errorf(`map has no entry for key ${JSON.stringify(name)}`);
    // missingkey=zero gives the zero interface{} (nil, and a nil receiver error further on);
    // the default gives Go's invalid value.
    return { v: null, iface: s.env.missingKey === 'zero' };
  }
  return s.errorf(`can't evaluate field ${name} in type ${typ}`);
}

function evalFunction(s: EvalState, dot: GoValue, node: IdentifierNode, cmd: Node, args: ArgNode[], final: Final): GoValue {
  s.at(node);
  const found = s.env.findFunc(node.ident);
  if (!found) return s.errorf(`${JSON.stringify(node.ident)} is not a defined function`);
  return evalCall(s, dot, found.spec, found.builtin, cmd, node.ident, args, final);
}

/** Go's evalCall: arity check, and/or short-circuit, argument evaluation, call, error wrapping. */
function evalCall(s: EvalState, dot: GoValue, spec: FuncSpec, builtin: boolean, node: Node, name: string, argNodes: ArgNode[], final: Final): GoValue {
  const args = argNodes.slice(1);
  const numIn = args.length + (final !== MISSING ? 1 : 0);
  if (spec.variadic) {
    if (numIn < spec.params) s.errorf(`wrong number of args for ${name}: want at least ${spec.params} got ${args.length}`);
  } else if (numIn !== spec.params) {
    s.errorf(`wrong number of args for ${name}: want ${spec.params} got ${numIn}`);
  }
  if (builtin && (name === 'and' || name === 'or')) return andOr(s, dot, name, args, final);
  const stringFirst = builtin && STRING_FIRST_PARAM.has(name);
  const argv = args.map((a, i) => (i === 0 && stringFirst ? evalStringArg(s, dot, a) : evalArg(s, dot, a)));
  if (final !== MISSING) argv.push(final);
  try {
    return spec.fn(...argv) ?? null;
  } catch (e) {
    s.at(node);
    if (e instanceof ExecFailure || isStackOverflow(e)) throw e;
    const msg = errorText(e);
    // A bound reached inside the call (an include nested too deep) stays a bound in the wrapped error.
    return s.errorf(`error calling ${name}: ${msg}`, e, isLimit(e));
  }
}

/** and/or evaluate arguments left to right and return the deciding one (Go 1.18+). */
function andOr(s: EvalState, dot: GoValue, name: string, args: ArgNode[], final: Final): GoValue {
  let v: GoValue = null;
  for (const a of args) {
    v = evalArg(s, dot, a);
    if (truth(v) === (name === 'or')) return v;
  }
  return final !== MISSING ? final : v;
}

/** Go's evalArg for an interface{} parameter (evalEmptyInterface). */
function evalArg(s: EvalState, dot: GoValue, n: ArgNode): GoValue {
  s.at(n);
  if (n instanceof FieldNode) return evalFieldNode(s, dot, n, [n], MISSING);
  if (n instanceof VariableNode) return evalVariableNode(s, dot, n, [], MISSING);
  if (n instanceof PipeNode) return evalPipeline(s, dot, n);
  if (n instanceof IdentifierNode) return evalFunction(s, dot, n, n, [n], MISSING);
  if (n instanceof ChainNode) return evalChainNode(s, dot, n, [], MISSING);
  return evalLiteral(dot, n);
}

/** Go's evalArg for a string parameter: literals must be strings; values are type-checked. */
function evalStringArg(s: EvalState, dot: GoValue, n: ArgNode): GoValue {
  s.at(n);
  if (n instanceof NilNode) return s.errorf('cannot assign nil to string');
  if (n instanceof BoolNode || n instanceof NumberNode || n instanceof DotNode) return s.errorf(`expected string; found ${n}`);
  const v = evalArg(s, dot, n);
  if (typeof v !== 'string') {
    s.at(n);
    return s.errorf(isNil(v) ? 'invalid value; expected string' : `wrong type for value; expected string; got ${typeOf(v)}`);
  }
  return v;
}
