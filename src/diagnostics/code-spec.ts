/** A value a diagnostic's parameters may hold (plain JSON, so `--json` prints them as they are). */
export type ParamValue = string | number | boolean | readonly string[];

/** The parameters of one diagnostic: what the message is made of, for machines. */
export type Params = { readonly [name: string]: ParamValue | undefined };

/** What a diagnostic code declares: a one-line summary, its message (and optionally a hint) made from its parameters. */
export interface CodeSpec<P extends Params> {
  /** What the code means, for documentation. */
  readonly summary: string;
  readonly message: (params: P) => string;
  /** A fixed suggestion; a hint given where the problem is reported wins. */
  readonly hint?: (params: P) => string | undefined;
}

/** Declares a code whose message is made from parameters of type `P`. */
export function defineCode<P extends Params = Record<never, never>>(
  summary: string,
  message: (params: P) => string,
  hint?: (params: P) => string | undefined,
): CodeSpec<P> {
  return hint ? { summary, message, hint } : { summary, message };
}

/** ` (in macro a → b)` when a template problem was found inside macro expansions, else ''. */
export function inMacros(stack: readonly string[] | undefined): string {
  return stack && stack.length > 0 ? ` (in macro ${stack.join(' → ')})` : '';
}
