/**
 * A tiny, safe template language for SQL models and macros (a strict subset of Jinja):
 *
 * - `{{ expr }}` where `expr` is a call `name(arg, …, key=arg)`, a bare identifier (a macro
 *   parameter), a string literal (`'x'` / `"x"`) or a number literal. Call arguments are
 *   expressions too, so calls nest: `{{ fq(ref('m')) }}`.
 * - `{# comment #}` is dropped.
 * - `{% macro name(a, b='x') %} … {% endmacro %}` blocks, only in `macros/*.sql`
 *   (see {@link parseMacroFile}); any other `{% … %}` is a syntax error.
 *
 * Nothing is evaluated here. Every node carries `start`/`end` offsets into the text that was
 * parsed (end exclusive), so callers can map a problem back to `file:line:col`.
 * Syntax errors are returned as values, never thrown.
 */

/** A literal, parameter or call inside `{{ … }}`. */
export type TemplateExpr =
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  /** A bare identifier: a macro parameter (only meaningful inside a macro body). */
  | { kind: 'ident'; name: string; start: number; end: number }
  | TemplateCall;

/** A call such as `ref('m')`, `source('crm', 'accounts')`, `var('x')` or a macro call. */
export interface TemplateCall {
  kind: 'call';
  name: string;
  /** Positional arguments, in order. */
  args: TemplateExpr[];
  /** Keyword arguments (`prefix='FQ'`), in order. */
  kwargs: { name: string; value: TemplateExpr; start: number; end: number }[];
  start: number;
  end: number;
  /** Offsets of the callee name (for precise "unknown macro" locations). */
  nameStart: number;
  nameEnd: number;
}

/** One piece of a template: verbatim SQL text or an `{{ … }}` expression. */
export type TemplateNode =
  | { kind: 'text'; text: string; start: number; end: number }
  /** `start`/`end` span the whole `{{ … }}`; `expr` spans only the expression. */
  | { kind: 'expr'; expr: TemplateExpr; start: number; end: number };

/** A parsed template: text and expression nodes in source order (comments removed). */
export interface Template {
  nodes: TemplateNode[];
}

/** A template syntax error at `[start, end)` of the parsed text (code `template-syntax`). */
export interface TemplateError {
  message: string;
  start: number;
  end: number;
}

/** The result of parsing: the AST is always returned (best effort) alongside any errors. */
export interface TemplateParse {
  template: Template;
  errors: TemplateError[];
}

/** A `{% macro %}` block found in a macros file. */
export interface MacroBlock {
  /** The full name as written, e.g. `snowflake__fiscal_quarter`. */
  name: string;
  /** The name without a dialect prefix, e.g. `fiscal_quarter`. */
  baseName: string;
  /** The dialect of a `<dialect>__name` variant, else undefined. */
  dialect?: string;
  params: { name: string; default?: string | number | boolean | null; start: number; end: number }[];
  /** The raw body text between `%}` and `{% endmacro %}`. */
  body: string;
  /** Offset of `body` in the file text. */
  bodyStart: number;
  /** The parsed body; node offsets are file offsets (already shifted by `bodyStart`). */
  template: Template;
  /** Offsets of the `{% macro … %}` tag. */
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
}

/** The result of parsing a macros file. */
export interface MacroFileParse {
  macros: MacroBlock[];
  errors: TemplateError[];
}

/** Parses a SQL model (or a macro body when `offset` is given: node offsets are shifted by it). */
export function parseTemplate(text: string, offset = 0): TemplateParse {
  const nodes: TemplateNode[] = [];
  const errors: TemplateError[] = [];
  let pos = 0;
  let textStart = 0;
  const flushText = (end: number): void => {
    if (end > textStart) nodes.push({ kind: 'text', text: text.slice(textStart, end), start: textStart + offset, end: end + offset });
  };
  while (pos < text.length) {
    const open = nextOpen(text, pos);
    if (open < 0) break;
    const two = text.slice(open, open + 2);
    if (two === '{#') {
      flushText(open);
      const close = text.indexOf('#}', open + 2);
      if (close < 0) {
        errors.push({ message: 'unclosed comment: expected `#}`', start: open + offset, end: open + 2 + offset });
        pos = textStart = text.length;
        break;
      }
      pos = textStart = close + 2;
    } else if (two === '{%') {
      flushText(open);
      const close = text.indexOf('%}', open + 2);
      const end = close < 0 ? text.length : close + 2;
      errors.push({
        message: 'block tags `{% … %}` are only allowed as `{% macro %}` / `{% endmacro %}` in macros/*.sql',
        start: open + offset,
        end: end + offset,
      });
      pos = textStart = end;
    } else {
      flushText(open);
      const r = parseExpressionTag(text, open);
      for (const e of r.errors) errors.push({ message: e.message, start: e.start + offset, end: e.end + offset });
      if (r.expr) nodes.push({ kind: 'expr', expr: shiftExpr(r.expr, offset), start: open + offset, end: r.end + offset });
      pos = textStart = r.end;
    }
  }
  flushText(text.length);
  return { template: { nodes }, errors };
}

/**
 * Parses a `macros/*.sql` file: a sequence of `{% macro name(params) %} body {% endmacro %}` blocks.
 * Outside blocks only whitespace, SQL comments (`-- …`, `/* … *\/`) and `{# … #}` are allowed.
 * A `<dialect>__name` macro is a per-dialect variant of `name`.
 */
export function parseMacroFile(text: string): MacroFileParse {
  const macros: MacroBlock[] = [];
  const errors: TemplateError[] = [];
  let pos = 0;
  while (pos < text.length) {
    pos = skipOutside(text, pos, errors);
    if (pos >= text.length) break;
    const tagEnd = text.indexOf('%}', pos + 2);
    if (tagEnd < 0) {
      errors.push({ message: 'unclosed block tag: expected `%}`', start: pos, end: pos + 2 });
      break;
    }
    const header = parseMacroHeader(text, pos, tagEnd);
    if ('error' in header) {
      errors.push(header.error);
      // Skip the broken macro's body so that its `{% endmacro %}` is not reported as well.
      const isMacro = /^\{%-?\s*macro\b/.test(text.slice(pos, tagEnd));
      pos = (isMacro ? findEndMacro(text, tagEnd + 2)?.end : undefined) ?? tagEnd + 2;
      continue;
    }
    const bodyStart = tagEnd + 2;
    const endTag = findEndMacro(text, bodyStart);
    if (!endTag) {
      errors.push({ message: `macro \`${header.name}\` has no \`{% endmacro %}\``, start: pos, end: bodyStart });
      break;
    }
    const body = text.slice(bodyStart, endTag.start);
    const parsed = parseTemplate(body, bodyStart);
    errors.push(...parsed.errors);
    const sep = header.name.indexOf('__');
    const dialect = sep > 0 ? header.name.slice(0, sep) : undefined;
    macros.push({
      name: header.name,
      baseName: dialect ? header.name.slice(sep + 2) : header.name,
      ...(dialect ? { dialect } : {}),
      params: header.params,
      body,
      bodyStart,
      template: parsed.template,
      start: pos,
      end: bodyStart,
      nameStart: header.nameStart,
      nameEnd: header.nameEnd,
    });
    pos = endTag.end;
  }
  return { macros, errors };
}

/** Every call in a template, depth first (outer call before its nested argument calls). */
export function templateCalls(template: Template): TemplateCall[] {
  const out: TemplateCall[] = [];
  const visit = (e: TemplateExpr): void => {
    if (e.kind !== 'call') return;
    out.push(e);
    for (const a of e.args) visit(a);
    for (const k of e.kwargs) visit(k.value);
  };
  for (const n of template.nodes) if (n.kind === 'expr') visit(n.expr);
  return out;
}

/** Every bare identifier (macro parameter use) in a template, depth first. */
export function templateIdents(template: Template): Extract<TemplateExpr, { kind: 'ident' }>[] {
  const out: Extract<TemplateExpr, { kind: 'ident' }>[] = [];
  const visit = (e: TemplateExpr): void => {
    if (e.kind === 'ident') out.push(e);
    if (e.kind !== 'call') return;
    for (const a of e.args) visit(a);
    for (const k of e.kwargs) visit(k.value);
  };
  for (const n of template.nodes) if (n.kind === 'expr') visit(n.expr);
  return out;
}

/** Names of the built-in template functions (never macros). */
export const BUILTIN_FUNCTIONS = ['ref', 'source', 'input', 'var'] as const;

// ---------------------------------------------------------------------------

function nextOpen(text: string, from: number): number {
  for (let i = text.indexOf('{', from); i >= 0; i = text.indexOf('{', i + 1)) {
    const c = text[i + 1];
    if (c === '{' || c === '%' || c === '#') return i;
  }
  return -1;
}

type Token =
  | { t: 'ident'; v: string; start: number; end: number }
  | { t: 'string'; v: string; start: number; end: number }
  | { t: 'number'; v: number; start: number; end: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '='; start: number; end: number }
  | { t: 'close'; v: string; start: number; end: number }
  | { t: 'eof'; start: number; end: number }
  | { t: 'bad'; v: string; start: number; end: number };

class Lexer {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
    readonly closer: string,
  ) {
    this.pos = start;
  }
  next(): Token {
    const s = this.text;
    while (this.pos < s.length && /\s/.test(s[this.pos] ?? '')) this.pos++;
    const start = this.pos;
    if (start >= s.length) return { t: 'eof', start, end: start };
    if (s.startsWith(this.closer, start)) {
      this.pos += this.closer.length;
      return { t: 'close', v: this.closer, start, end: this.pos };
    }
    const c = s[start] ?? '';
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(start, start + 256));
      const v = m?.[0] ?? c;
      this.pos += v.length;
      return { t: 'ident', v, start, end: this.pos };
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(s[start + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(s.slice(start, start + 64));
      const v = m?.[0] ?? c;
      this.pos += v.length;
      return { t: 'number', v: Number(v), start, end: this.pos };
    }
    if (c === "'" || c === '"') {
      let i = start + 1;
      let v = '';
      while (i < s.length && s[i] !== c && s[i] !== '\n') {
        if (s[i] === '\\' && i + 1 < s.length) {
          v += s[i + 1];
          i += 2;
        } else {
          v += s[i];
          i++;
        }
      }
      if (s[i] !== c) {
        this.pos = i;
        return { t: 'bad', v: 'unterminated string literal', start, end: i };
      }
      this.pos = i + 1;
      return { t: 'string', v, start, end: this.pos };
    }
    if (c === '(' || c === ')' || c === ',' || c === '=') {
      this.pos++;
      return { t: 'punct', v: c, start, end: this.pos };
    }
    this.pos++;
    return { t: 'bad', v: `unexpected character \`${c}\``, start, end: this.pos };
  }
  peek(): Token {
    const save = this.pos;
    const tok = this.next();
    this.pos = save;
    return tok;
  }
}

class ParseFailure {
  constructor(readonly error: TemplateError) {}
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'eof':
      return 'end of text';
    case 'close':
      return `\`${tok.v}\``;
    case 'bad':
      return tok.v;
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    default:
      return `\`${tok.v}\``;
  }
}

function fail(tok: Token, expected: string): never {
  if (tok.t === 'bad') throw new ParseFailure({ message: tok.v, start: tok.start, end: tok.end });
  throw new ParseFailure({ message: `expected ${expected}, found ${describe(tok)}`, start: tok.start, end: Math.max(tok.end, tok.start + 1) });
}

function parseExpr(lx: Lexer): TemplateExpr {
  const tok = lx.next();
  if (tok.t === 'string') return { kind: 'string', value: tok.v, start: tok.start, end: tok.end };
  if (tok.t === 'number') return { kind: 'number', value: tok.v, start: tok.start, end: tok.end };
  if (tok.t !== 'ident') fail(tok, 'a call, a name or a literal');
  const after = lx.peek();
  if (!(after.t === 'punct' && after.v === '(')) return { kind: 'ident', name: tok.v, start: tok.start, end: tok.end };
  lx.next();
  const call: TemplateCall = { kind: 'call', name: tok.v, args: [], kwargs: [], start: tok.start, end: tok.end, nameStart: tok.start, nameEnd: tok.end };
  let first = true;
  for (;;) {
    const p = lx.peek();
    if (p.t === 'punct' && p.v === ')') {
      lx.next();
      call.end = p.end;
      return call;
    }
    if (!first) {
      const comma = lx.next();
      if (!(comma.t === 'punct' && comma.v === ',')) fail(comma, '`,` or `)`');
      const p2 = lx.peek();
      if (p2.t === 'punct' && p2.v === ')') continue; // trailing comma
    }
    first = false;
    const save = lx.pos;
    const k = lx.next();
    const eq = lx.peek();
    if (k.t === 'ident' && eq.t === 'punct' && eq.v === '=') {
      lx.next();
      const value = parseExpr(lx);
      call.kwargs.push({ name: k.v, value, start: k.start, end: value.end });
    } else {
      lx.pos = save;
      if (call.kwargs.length > 0) {
        const arg = parseExpr(lx);
        throw new ParseFailure({ message: 'a positional argument cannot follow a keyword argument', start: arg.start, end: arg.end });
      }
      call.args.push(parseExpr(lx));
    }
  }
}

function parseExpressionTag(text: string, open: number): { expr?: TemplateExpr; end: number; errors: TemplateError[] } {
  const lx = new Lexer(text, open + 2, '}}');
  try {
    const first = lx.peek();
    if (first.t === 'close') {
      return { end: first.end, errors: [{ message: 'empty expression `{{ }}`', start: open, end: first.end }] };
    }
    const expr = parseExpr(lx);
    const close = lx.next();
    if (close.t !== 'close') fail(close, '`}}`');
    return { expr, end: close.end, errors: [] };
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    // Resynchronise after the next `}}` (or give up at end of text).
    const close = text.indexOf('}}', e.error.start);
    const unclosed = text.indexOf('}}', open + 2) < 0;
    const error = unclosed ? { message: 'unclosed expression: expected `}}`', start: open, end: open + 2 } : e.error;
    return { end: close < 0 ? text.length : close + 2, errors: [error] };
  }
}

function shiftExpr(e: TemplateExpr, by: number): TemplateExpr {
  if (by === 0) return e;
  if (e.kind !== 'call') return { ...e, start: e.start + by, end: e.end + by };
  return {
    ...e,
    start: e.start + by,
    end: e.end + by,
    nameStart: e.nameStart + by,
    nameEnd: e.nameEnd + by,
    args: e.args.map((a) => shiftExpr(a, by)),
    kwargs: e.kwargs.map((k) => ({ name: k.name, value: shiftExpr(k.value, by), start: k.start + by, end: k.end + by })),
  };
}

/** Skips whitespace and comments outside macro blocks; returns the offset of the next `{%` or the end. */
function skipOutside(text: string, from: number, errors: TemplateError[]): number {
  let pos = from;
  while (pos < text.length) {
    const c = text[pos] ?? '';
    if (/\s/.test(c)) pos++;
    else if (text.startsWith('--', pos)) {
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', pos)) {
      const e = text.indexOf('*/', pos + 2);
      pos = e < 0 ? text.length : e + 2;
    } else if (text.startsWith('{#', pos)) {
      const e = text.indexOf('#}', pos + 2);
      pos = e < 0 ? text.length : e + 2;
    } else if (text.startsWith('{%', pos)) return pos;
    else {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      errors.push({ message: 'text outside a `{% macro %}` block', start: pos, end });
      pos = end;
    }
  }
  return pos;
}

function parseMacroHeader(
  text: string,
  start: number,
  tagEnd: number,
): { name: string; params: MacroBlock['params']; nameStart: number; nameEnd: number } | { error: TemplateError } {
  const lx = new Lexer(text, start + 2, '%}');
  try {
    const kw = lx.next();
    if (!(kw.t === 'ident' && kw.v === 'macro')) {
      if (kw.t === 'ident' && kw.v === 'endmacro') throw new ParseFailure({ message: '`{% endmacro %}` without a matching `{% macro %}`', start, end: tagEnd + 2 });
      fail(kw, '`macro`');
    }
    const name = lx.next();
    if (name.t !== 'ident') fail(name, 'a macro name');
    const open = lx.next();
    if (!(open.t === 'punct' && open.v === '(')) fail(open, '`(`');
    const params: MacroBlock['params'] = [];
    for (;;) {
      let tok = lx.next();
      if (tok.t === 'punct' && tok.v === ')') break;
      if (params.length > 0) {
        if (!(tok.t === 'punct' && tok.v === ',')) fail(tok, '`,` or `)`');
        tok = lx.next();
        if (tok.t === 'punct' && tok.v === ')') break;
      }
      if (tok.t !== 'ident') fail(tok, 'a parameter name');
      const eq = lx.peek();
      if (eq.t === 'punct' && eq.v === '=') {
        lx.next();
        const d = lx.next();
        let value: string | number | boolean | null;
        if (d.t === 'string' || d.t === 'number') value = d.v;
        else if (d.t === 'ident' && (d.v === 'true' || d.v === 'True')) value = true;
        else if (d.t === 'ident' && (d.v === 'false' || d.v === 'False')) value = false;
        else if (d.t === 'ident' && (d.v === 'none' || d.v === 'None' || d.v === 'null')) value = null;
        else fail(d, 'a literal default value');
        params.push({ name: tok.v, default: value, start: tok.start, end: d.end });
      } else {
        if (params.some((p) => 'default' in p)) {
          throw new ParseFailure({ message: `parameter \`${tok.v}\` without a default follows one with a default`, start: tok.start, end: tok.end });
        }
        params.push({ name: tok.v, start: tok.start, end: tok.end });
      }
    }
    const close = lx.next();
    if (close.t !== 'close') fail(close, '`%}`');
    return { name: name.v, params, nameStart: name.start, nameEnd: name.end };
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    return { error: e.error };
  }
}

function findEndMacro(text: string, from: number): { start: number; end: number } | undefined {
  const re = /\{%-?\s*(endmacro|macro)\b[^%]*-?%\}/g;
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m || m[1] !== 'endmacro') return undefined;
  return { start: m.index, end: m.index + m[0].length };
}
