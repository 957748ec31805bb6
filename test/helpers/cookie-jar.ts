// A path-aware cookie jar over fetch, as a browser without JavaScript: redirects are not
// followed automatically (tests assert them), forms are posted url-encoded.
export interface Cookie { name: string; value: string; path: string }

export class Browser {
  readonly cookies = new Map<string, Cookie>();

  constructor(readonly baseUrl: string) {}

  private cookieHeader(url: URL): string {
    return [...this.cookies.values()].filter((c) => url.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private store(res: Response, url: URL): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (k: string) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.split('=')[1];
      const path = attr('path') ?? url.pathname.replace(/\/[^/]*$/, '/');
      const expires = attr('expires');
      const gone = attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) < Date.now()) || value === '';
      const key = `${name};${path}`;
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  cookie(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(res, url);
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, { headers: { accept: 'text/html', ...headers } });
  }

  /** Follows redirects (GET) until a non-redirect answer or a URL outside the server. */
  async follow(res: Response, maxHops = 10): Promise<{ res: Response; url: string }> {
    let current = res;
    let url = res.url;
    for (let i = 0; i < maxHops && current.status >= 300 && current.status < 400; i++) {
      url = new URL(current.headers.get('location')!, url || this.baseUrl).href;
      if (!url.startsWith(this.baseUrl)) return { res: current, url };
      current = await this.get(url);
    }
    return { res: current, url };
  }

  post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
    return this.fetch(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers } });
  }

  /** GETs a page, then submits its form with the page's CSRF token plus `fields`. */
  async submitForm(pagePath: string, fields: Record<string, string | string[]>, actionPath?: string): Promise<Response> {
    const page = await this.get(pagePath);
    const htmlText = await page.text();
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(htmlText)?.[1];
    if (!token) throw new Error(`no CSRF token on ${pagePath} (status ${page.status})`);
    return this.post(actionPath ?? pagePath, { csrfmiddlewaretoken: token, ...fields });
  }

  /** Signs out as a person does: the confirmation page, then its form (a POST with the token). */
  async signOut(next?: string): Promise<Response> {
    const page = await this.get(`/accounts/logout/${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`);
    const htmlText = await page.text();
    const action = /<form method="post" action="([^"]*)"/.exec(htmlText)?.[1]?.replaceAll('&amp;', '&');
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(htmlText)?.[1];
    if (!action || !token) throw new Error(`no sign-out form (status ${page.status})`);
    return this.post(action, { csrfmiddlewaretoken: token });
  }
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
