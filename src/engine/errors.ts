/** The error every engine failure is reported with. */
export type EngineErrorCode = 'unsupported' | 'semantic' | 'syntax' | 'limit' | 'cancelled' | 'runtime';

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** 1-based line and column in the query text, when the error has a position. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
