// The page frame shared by every server-rendered page: no external assets, readable without
// JavaScript and on a phone.
import { html, type SafeHtml } from './html.ts';
import { COPY_SCRIPT_PATH, FAVICON_PATH } from './page-assets.ts';
import { styles } from './styles.ts';

export interface PageOptions {
  title: string;
  /** The signed-in user; staff (and superusers) get a link to the admin console. */
  user?: { email: string; isStaff?: boolean; isSuperuser?: boolean } | null;
  csrfToken?: string;
  /** The page has Copy buttons (data-copy): load their script. Other pages carry no script. */
  hasCopyButtons?: boolean;
}

function nav(opts: PageOptions): SafeHtml {
  if (!opts.user) return html`<nav aria-label="Account"><a href="/accounts/login/">Sign in</a></nav>`;
  return html`<nav aria-label="Account">
    <a href="/o/applications/">Applications</a>
    ${opts.user.isStaff || opts.user.isSuperuser ? html`<a href="/admin/">Admin console</a>` : ''}
    <form method="post" action="/accounts/logout/" class="inline">
      <input type="hidden" name="csrfmiddlewaretoken" value="${opts.csrfToken ?? ''}">
      <button type="submit" class="link">Sign out ${opts.user.email}</button>
    </form>
  </nav>`;
}

export function layout(opts: PageOptions, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · DJAM</title>
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<style>${styles}</style>
${opts.hasCopyButtons ? html`<script src="${COPY_SCRIPT_PATH}" defer></script>` : ''}
</head>
<body>
<header><a class="brand" href="/">DJAM</a>${nav(opts)}</header>
<main id="main">
<h1>${opts.title}</h1>
${body}
</main>
</body>
</html>`.value;
}

/** A form-level message (error or notice) announced to screen readers. */
export function message(kind: 'error' | 'notice', content: SafeHtml | string | undefined): SafeHtml {
  if (!content) return html``;
  return html`<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${content}</p>`;
}
