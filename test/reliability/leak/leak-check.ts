/** One request as a case sends it. */
export interface LeakRequest {
  method: 'GET' | 'POST';
  /** Path and query. */
  url: string;
  /** Bearer token; none for the public routes. */
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Everything an attacker receives: the status line, the headers and the body. */
export interface LeakAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  text: string;
}

/** Send a request (no redirects followed: a redirect is an answer too). */
export async function send(baseUrl: string, req: LeakRequest): Promise<LeakAnswer> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let body: string | undefined;
  if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${req.url}`, { method: req.method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, statusText: res.statusText, headers: [...res.headers.entries()], text };
}

/** The answer as one text: status line, headers (sorted) and body. */
export function wholeAnswer(a: LeakAnswer): string {
  const headers = [...a.headers].sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `${k}: ${v}`);
  return [`${a.status} ${a.statusText}`, ...headers, '', a.text].join('\n');
}

/** The request as the attacker wrote it (URL decoded, body): what it may legitimately get echoed. */
export function requestText(req: LeakRequest): string {
  let url = req.url;
  try {
    url = decodeURIComponent(req.url.replaceAll('+', ' '));
  } catch {
    // keep the raw URL
  }
  return `${req.method} ${url}\n${JSON.stringify(req.headers ?? {})}\n${req.body === undefined ? '' : JSON.stringify(req.body)}`;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;
const SQL_TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?/g;
/** Headers that differ between any two answers (or follow from the body). */
const VOLATILE_HEADERS = new Set(['date', 'content-length', 'keep-alive', 'connection']);

/**
 * An answer with what legitimately differs between two runs of the same request replaced: ids
 * (UUIDv7, generated per write) and timestamps (the time of each write). Counts, versions,
 * sequence numbers, cursors, digests, order and every value stay as they are.
 */
export function normalized(a: LeakAnswer, unordered = false): string {
  const headers = a.headers.filter(([k]) => !VOLATILE_HEADERS.has(k.toLowerCase()));
  const text = unordered ? sortedRows(a.text) : a.text;
  return wholeAnswer({ ...a, headers, text }).replace(UUID, '<uuid>').replace(ISO_TIME, '<time>').replace(SQL_TIME, '<time>');
}

/** The rows of a read whose order is not specified (a whole model without `limit`), sorted: JSON `rows`, or CSV lines after the header. */
function sortedRows(text: string): string {
  try {
    const body = JSON.parse(text) as { rows?: unknown[] };
    if (Array.isArray(body.rows)) return JSON.stringify({ ...body, rows: body.rows.map((r) => JSON.stringify(r)).sort() });
  } catch {
    const [header, ...lines] = text.split('\n');
    return [header, ...lines.sort()].join('\n');
  }
  return text;
}

/**
 * The canaries an answer shows that its request did not carry: an exact canary string, or any
 * `qzv` (every hidden value, key, user and source row carries it) outside the echoed strings.
 * `owned`: strings the attacker may see anyway (hidden keys it created itself).
 */
export function canariesIn(answer: LeakAnswer, req: LeakRequest, canaries: readonly string[], owned: readonly string[] = []): string[] {
  const asked = `${requestText(req)}\n${owned.join('\n')}`;
  let text = wholeAnswer(answer);
  const found = canaries.filter((c) => text.includes(c) && !asked.includes(c));
  // what the request named may come back; anything else with the marker is a leak
  for (const token of asked.match(/[A-Za-z0-9_.-]*qzv[A-Za-z0-9_.-]*/gi) ?? []) text = text.replaceAll(token, '');
  const marked = text.match(/.{0,40}qzv.{0,40}/gi);
  if (marked) found.push(...marked.map((m) => `…${m}…`));
  return [...new Set(found)];
}

/** Replace every occurrence of each `from` string by its `to` (longest first, in one pass). */
export function substitute(text: string, pairs: [string, string][]): string {
  const sorted = [...pairs].filter(([from, to]) => from !== to).sort(([a], [b]) => b.length - a.length);
  if (sorted.length === 0) return text;
  const re = new RegExp(sorted.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const map = new Map(sorted);
  return text.replace(re, (m) => map.get(m)!);
}
