/**
 * let statements and calls of the functions they declare. A function's
 * parameters are bound to the caller's compiled arguments, so a scalar
 * function evaluates per row like any expression.
 */
import { Environment, type Binding, type Scope } from './context';
import type { ColumnarTable } from './columns';
import { compileExpression, type Compiled } from './scalar';
import { childOf, columnTypeOf, elementsOf, kindOf, nameOf, requireChild, tableColumnsOf, type Node } from './syntax';
import { evaluateTabular } from './tabular';

/** Binds a let name: functions as declared, tables on first use (then reused), scalars at once. */
export function defineLet(statement: Node, scope: Scope): void {
  const name = nameOf(requireChild(statement, 'Name'));
  const expression = requireChild(statement, 'Expression');
  if (kindOf(expression) === 'FunctionDeclaration') {
    scope.env.define(name, { kind: 'function', declaration: expression, env: scope.env });
    return;
  }
  if (tableColumnsOf(expression)) {
    let cached: ColumnarTable | undefined;
    const defined: Scope = { ...scope };
    scope.env.define(name, {
      kind: 'tabular',
      table: () => (cached ??= evaluateTabular(expression, defined)),
    });
    return;
  }
  const value = compileExpression(expression, scope).fn(0);
  scope.env.define(name, { kind: 'scalar', value, type: columnTypeOf(expression) });
}

/** Returns the let-declared function that a call refers to, if any. */
export function userFunction(call: Node, scope: Scope): Extract<Binding, { kind: 'function' }> | undefined {
  const binding = scope.env.lookup(nameOf(requireChild(call, 'Name')));
  return binding?.kind === 'function' ? binding : undefined;
}

/** Makes the scope of a function body: parameters bound to the call's arguments or their defaults. */
function bodyScope(call: Node, binding: Extract<Binding, { kind: 'function' }>, scope: Scope): { body: Node; scope: Scope } {
  const declaration = binding.declaration;
  const env = new Environment(binding.env);
  const argumentNodes = elementsOf(childOf(requireChild(call, 'ArgumentList'), 'Expressions'));
  const parameters = elementsOf(childOf(requireChild(declaration, 'Parameters'), 'Parameters'));
  parameters.forEach((parameter, index) => {
    const name = nameOf(requireChild(requireChild(parameter, 'NameAndType'), 'Name'));
    const defaultValue = childOf(parameter, 'DefaultValue');
    const argument = argumentNodes[index] ?? (defaultValue ? requireChild(defaultValue, 'Value') : undefined);
    if (!argument) {
      throw scope.run.error('semantic', call, `The call of ${nameOf(requireChild(call, 'Name'))} has no value for the parameter ${name}.`);
    }
    const compiled: Compiled = compileExpression(argument, scope);
    env.define(name, { kind: 'expression', compiled });
  });
  const inner: Scope = { ...scope, env };
  const body = requireChild(declaration, 'Body');
  for (const statement of elementsOf(childOf(body, 'Statements'))) {
    if (kindOf(statement) !== 'LetStatement') {
      throw scope.run.unsupported(statement, 'A statement other than let inside a function body');
    }
    defineLet(statement, inner);
  }
  return { body: requireChild(body, 'Expression'), scope: inner };
}

export function callScalarFunction(call: Node, binding: Extract<Binding, { kind: 'function' }>, scope: Scope): Compiled {
  const { body, scope: inner } = bodyScope(call, binding, scope);
  return compileExpression(body, inner);
}

export function callTabularFunction(call: Node, binding: Extract<Binding, { kind: 'function' }>, scope: Scope): ColumnarTable {
  const { body, scope: inner } = bodyScope(call, binding, { ...scope, table: undefined });
  return evaluateTabular(body, inner);
}
