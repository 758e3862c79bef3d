/** Offset cursor of pages that have no key (model views, a linked source): base64url of `{"o": offset}`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** The offset in a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const o = typeof parsed === 'object' && parsed !== null && 'o' in parsed ? parsed.o : undefined;
    return typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}
