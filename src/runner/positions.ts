/**
 * Moves error positions from the query text to the file the query came from.
 * The engine and the services count lines from the start of the text they
 * were sent, which is one statement block of the file. Pure, so it is
 * unit-tested without VS Code.
 */
import type { ServiceError } from '../results/model';

/** Where the query text starts in its file: 0-based line and character, as a VS Code Position. */
export interface QueryStart {
  readonly line: number;
  readonly character: number;
}

/** Converts a 1-based line and column in the query text to the 1-based line and column in the file. */
export function filePosition(line: number, column: number, start: QueryStart): { line: number; column: number } {
  return { line: start.line + line, column: line === 1 ? start.character + column : column };
}

/** Positions as the local engine (`line 4, column 13`) and Log Analytics (`on line [4,13]`) write them. */
const POSITION_TEXT = /\bline (\d+), column (\d+)|\bline \[(\d+),\s*(\d+)\]/g;

/** Rewrites every line and column in a message from query-text to file positions. */
export function relocateMessage(message: string, start: QueryStart): string {
  return message.replace(POSITION_TEXT, (match, engineLine?: string, engineColumn?: string, serviceLine?: string, serviceColumn?: string) => {
    if (engineLine !== undefined && engineColumn !== undefined) {
      const moved = filePosition(Number(engineLine), Number(engineColumn), start);
      return `line ${moved.line}, column ${moved.column}`;
    }
    if (serviceLine !== undefined && serviceColumn !== undefined) {
      const moved = filePosition(Number(serviceLine), Number(serviceColumn), start);
      return `line [${moved.line},${moved.column}]`;
    }
    return match;
  });
}

/**
 * Returns a copy of the error with its line, column and message positions
 * counted in the file, details included. Without a start the error is returned as it is.
 */
export function relocateError(error: ServiceError, start: QueryStart | undefined): ServiceError {
  if (!start || (start.line === 0 && start.character === 0)) {
    return error;
  }
  const moved: ServiceError = { ...error, message: relocateMessage(error.message, start) };
  if (error.line !== undefined) {
    const position = filePosition(error.line, error.column ?? 1, start);
    moved.line = position.line;
    if (error.column !== undefined) {
      moved.column = position.column;
    }
  }
  if (error.details) {
    moved.details = error.details.map((detail) => relocateError(detail, start));
  }
  return moved;
}
