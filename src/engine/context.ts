/**
 * State shared by one query run: the database, the reference time, limits,
 * cancellation and the `let` bindings in scope.
 */
import type { KustoColumnType } from '../schema/tables';
import type { ColumnarTable } from './columns';
import { EngineError, type EngineErrorCode } from './errors';
import type { Compiled } from './scalar';
import { kindOf, type LineMap, type Node } from './syntax';
import type { Value } from './values';

export type Binding =
  | { readonly kind: 'scalar'; readonly value: Value; readonly type: KustoColumnType }
  | { readonly kind: 'tabular'; readonly table: () => ColumnarTable }
  | { readonly kind: 'function'; readonly declaration: Node; readonly env: Environment }
  /** A function parameter, bound to the caller's argument. */
  | { readonly kind: 'expression'; readonly compiled: Compiled };

/** Lexical scope of `let` names; an inner scope shadows the outer one. */
export class Environment {
  private readonly bindings = new Map<string, Binding>();

  constructor(private readonly parent?: Environment) {}

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  define(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }
}

export interface RunLimits {
  /** Maximum rows of any intermediate or final table. */
  readonly maxRows: number;
  /** Maximum cells (rows times columns) of any intermediate or final table. */
  readonly maxCells: number;
}

export class RunState {
  /** Checks for cancellation every this many rows in row loops. */
  static readonly CANCEL_CHECK_ROWS = 65_536;

  /** Database tables the query named and the run read; members of a wildcard union are not added. */
  readonly tablesRead = new Set<string>();

  /** Database tables the run read as members of a wildcard union such as `union *`. */
  readonly tablesReadByWildcard = new Set<string>();

  constructor(
    readonly tables: ReadonlyMap<string, ColumnarTable>,
    readonly lines: LineMap,
    /** now() in datetime ticks (see values.ts). */
    readonly nowTicks: number,
    readonly limits: RunLimits,
    private readonly isCancelled: () => boolean,
  ) {}

  /** Throws a cancelled EngineError when the caller has cancelled the run. */
  checkCancelled(): void {
    if (this.isCancelled()) {
      throw new EngineError('cancelled', 'The query was cancelled.');
    }
  }

  /**
   * Throws a limit EngineError when a table of this size exceeds the row or
   * cell limit. A step that checks while it still adds rows (join, mv-expand)
   * passes `complete` false, so the message gives the count as a lower bound.
   */
  checkSize(rows: number, columns: number, node: Node | undefined, complete = true): void {
    const { maxRows, maxCells } = this.limits;
    if (rows > maxRows || rows * Math.max(columns, 1) > maxCells) {
      const step = node ? ` by ${this.describe(node)}` : '';
      const shape = `${rows} rows of ${columns} columns`;
      const size = complete ? `has ${shape}` : `had reached ${shape} when it was stopped, with more rows to come`;
      throw this.error(
        'limit',
        node,
        `The query stopped because a table produced${step} ${size}, over the local engine's limit of ${maxRows} rows or ${maxCells} cells. ` +
          'Reduce the rows that reach this step (for example with a where or summarize earlier in the query), raise the limit ' +
          '(huntLens.localData.maxRows, or --max-rows on the command line), or run the query against a workspace.',
      );
    }
  }

  /** Creates an EngineError positioned at `node`. */
  error(code: EngineErrorCode, node: Node | undefined, message: string): EngineError {
    if (!node) {
      return new EngineError(code, message);
    }
    const { line, column } = this.lines.position(node.TextStart);
    return new EngineError(code, message, line, column);
  }

  /** Creates the error for an operator or function the engine does not implement. */
  unsupported(node: Node, what: string): EngineError {
    const { line, column } = this.lines.position(node.TextStart);
    return new EngineError(
      'unsupported',
      `${what} is not supported by the local engine (line ${line}, column ${column}). Run the query against a Log Analytics workspace or Defender XDR instead.`,
      line,
      column,
    );
  }

  private describe(node: Node): string {
    const { line, column } = this.lines.position(node.TextStart);
    return `${kindOf(node)} at line ${line}, column ${column}`;
  }
}

/** The context of an expression: the table whose rows it reads (or none) and the names in scope. */
export interface Scope {
  readonly run: RunState;
  readonly env: Environment;
  readonly table: ColumnarTable | undefined;
}
