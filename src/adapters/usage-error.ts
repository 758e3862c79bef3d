/** An error caused by how a command was called or configured (printed without a stack trace). */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** A warehouse file another process holds (DuckDB: one writer per file); `pid` of the holder when the warehouse names it. */
export class WarehouseLockedError extends UsageError {
  override readonly name = 'WarehouseLockedError';
  constructor(
    message: string,
    /** The file that could not be opened. */
    readonly path: string,
    /** Process id of the holder, when known. */
    readonly pid?: number,
  ) {
    super(message);
  }
}
