/** An error caused by how a command was called or configured (printed without a stack trace). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
