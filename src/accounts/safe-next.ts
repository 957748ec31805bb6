// Open-redirect guard for `next`: only a path on this site, or an absolute URL of this site.
export function safeNext(next: unknown, ownOrigins: string[]): string | undefined {
  if (typeof next !== 'string' || !next || next.length > 4096) return undefined;
  if (next.startsWith('/')) return /^\/[/\\]/.test(next) ? undefined : next;
  const url = URL.parse(next);
  return url && ownOrigins.includes(url.origin) ? next : undefined;
}
