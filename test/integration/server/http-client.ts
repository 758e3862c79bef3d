/** A tiny fetch wrapper for the server tests. */
export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (overrides `body`). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** What a call answered; `T` is the JSON body's expected shape. */
export interface Answer<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** The error body of the API. */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown>[] };
}

/** Call `baseUrl + path` and parse the JSON answer when there is one. */
export async function call<T = ErrorBody>(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}
