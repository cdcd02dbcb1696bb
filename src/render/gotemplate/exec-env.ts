/**
 * The executor's contracts, apart from its code: what it needs from the template set (ExecEnv) and
 * what evaluating a pipeline (exec-eval.ts) needs from the running state (EvalState), so exec.ts
 * and exec-eval.ts each depend on this file and not on one another.
 */
import type { Node, Tree } from './node.js';
import type { FuncSpec, GoValue } from './value.js';

export type MissingKey = 'default' | 'zero' | 'error';

/** What the executor needs from the template set. */
export interface ExecEnv {
  lookup(name: string): Tree | undefined;
  findFunc(name: string): { spec: FuncSpec; builtin: boolean } | undefined;
  readonly missingKey: MissingKey;
}

/** The part of ExecState that evaluating a pipeline uses. */
export interface EvalState {
  readonly env: ExecEnv;
  /** Marks the node being evaluated, for error locations. */
  at(node: Node): void;
  /** Throws Go's located error; `limit` marks a reached bound. */
  errorf(msg: string, cause?: unknown, limit?: boolean): never;
  push(name: string, value: GoValue): void;
  setVar(name: string, value: GoValue): void;
  varValue(name: string): GoValue;
}
