/** One HTTP answer as a test reads it. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  url: string;
}

/**
 * A minimal browser for HTTP-level tests: keeps cookies per host (name=value only; the tests read
 * the flags from `Set-Cookie` themselves), never follows redirects by itself.
 */
export class CookieClient {
  readonly jar = new Map<string, Map<string, string>>();

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string | undefined): void {
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    if (value === undefined) cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(host, cookies);
  }

  async request(url: string, init: RequestInit = {}): Promise<Answer> {
    const u = new URL(url);
    const headers = new Headers(init.headers);
    const cookies = [...(this.jar.get(u.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookies && !headers.has('cookie')) headers.set('cookie', cookies);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      this.setCookie(u.host, name, expired ? undefined : value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), url };
  }

  /** GET `url` and follow redirects while `until(location)` is false; the last answer (a non-redirect, or the redirect `until` accepted). */
  async follow(url: string, until: (location: string) => boolean = () => false): Promise<Answer> {
    let answer = await this.request(url);
    for (let i = 0; i < 10 && answer.status >= 300 && answer.status < 400; i++) {
      const location = new URL(answer.headers.get('location') ?? '', answer.url).href;
      if (until(location)) return answer;
      answer = await this.request(location);
    }
    return answer;
  }
}

/**
 * Sign in at the test provider as `login`: from the provider's authorization URL through its login
 * form, up to (not including) the redirect back to `callbackPrefix`. Returns that callback URL.
 */
export async function loginAtProvider(client: CookieClient, authorizeUrl: string, login: string, callbackPrefix: string): Promise<string> {
  const back = (l: string) => l.startsWith(callbackPrefix);
  let page = await client.follow(authorizeUrl, back);
  if (page.status === 200) {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1];
    if (!action) throw new Error(`no login form at ${page.url}: ${page.text.slice(0, 200)}`);
    const posted = await client.request(new URL(action, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
    });
    if (posted.status < 300 || posted.status >= 400) throw new Error(`login form answered ${posted.status}`);
    page = posted;
    const next = new URL(posted.headers.get('location') ?? '', posted.url).href;
    if (back(next)) return next;
    page = await client.follow(next, back);
  }
  const location = new URL(page.headers.get('location') ?? '', page.url).href;
  if (!back(location)) throw new Error(`the provider did not send the browser back (status ${page.status} at ${page.url}): ${page.text.slice(0, 300)}`);
  return location;
}
