// OIDC clients (matched by client_id) with the same id and secret, and their login preventions.
// This server runs the code flow only, so the original's response types become grant types:
// any type with `code` → authorization_code + refresh_token; none and confidential →
// client_credentials. (The original accepted client_credentials from any client with scopes;
// a code client here keeps only the code flow, as clients registered here do.)
import { loginPreventions, loginPreventionTeams, oauthClients } from '../db/schema.ts';
import { seal, unseal } from '../crypto/keys.ts';
import { conflict, insertInChunks, type ImportContext } from './import-context.ts';
import { mapLinks, newPairs } from './import-links.ts';
import type { SourceClient } from './source.types.ts';

const label = (src: SourceClient) => `#${src.id} ${src.clientId} (${src.name})`;
const lines = (text: string | null) => (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

function grantsOf(ctx: ImportContext, src: SourceClient): { grantTypes: string[]; responseTypes: string[] } {
  const hasCode = src.responseTypes.some((t) => t.split(' ').includes('code'));
  const other = src.responseTypes.filter((t) => t !== 'code');
  const note = (reason: string) => conflict(ctx, { table: 'clients', row: label(src), resolved: true, reason });
  if (hasCode) {
    if (other.length) note(`response types ${other.join(', ')} are served as the plain code flow (this server runs only the code flow)`);
    return { grantTypes: ['authorization_code', 'refresh_token'], responseTypes: ['code'] };
  }
  if (src.clientType === 'confidential') {
    if (other.length) note(`implicit response types ${other.join(', ')} are not supported here; it keeps the client-credentials grant`);
    return { grantTypes: ['client_credentials'], responseTypes: [] };
  }
  note(`a public client with only implicit response types (${other.join(', ') || 'none'}) has no grant here; its relying party must move to code + PKCE`);
  return { grantTypes: [], responseTypes: [] };
}

export async function importClients(ctx: ImportContext): Promise<void> {
  const here = await ctx.db.select({ id: oauthClients.id, clientId: oauthClients.clientId, sealed: oauthClients.clientSecretSealed }).from(oauthClients);
  const byClientId = new Map(here.map((c) => [c.clientId, c.id]));
  const secretHere = new Map(here.map((c) => [c.clientId, c.sealed === null ? null : unseal(ctx.keys, c.sealed)]));
  const rows: Array<typeof oauthClients.$inferInsert> = [];
  for (const src of ctx.source.clients) {
    const ownerId = src.ownerId === null ? null : ctx.map.users.get(src.ownerId) ?? null;
    if (src.ownerId !== null && ownerId === null) conflict(ctx, { table: 'clients', row: label(src), resolved: false, reason: `its owner, user #${src.ownerId}, was not imported` });
    const known = byClientId.get(src.clientId);
    if (known !== undefined) {
      ctx.map.clients.set(src.id, known);
      const secret = secretHere.get(src.clientId);
      if (src.clientType === 'confidential' && src.clientSecret && secret !== undefined && secret !== src.clientSecret) {
        conflict(ctx, { table: 'clients', row: label(src), resolved: false, reason: 'this client id exists here with another secret; the original\'s secret does not authenticate it' });
      }
      continue;
    }
    const id = ctx.ids.next('oauth_clients');
    ctx.map.clients.set(src.id, id);
    byClientId.set(src.clientId, id);
    rows.push({
      id, clientId: src.clientId, name: src.name, ownerId, clientType: src.clientType, ...grantsOf(ctx, src),
      clientSecretSealed: src.clientType === 'public' || !src.clientSecret ? null : seal(ctx.keys, src.clientSecret),
      redirectUris: lines(src.redirectUris), postLogoutRedirectUris: lines(src.postLogoutRedirectUris), scope: src.scope ?? '',
      jwtAlg: src.jwtAlg, requireConsent: src.requireConsent, reuseConsent: src.reuseConsent, websiteUrl: src.websiteUrl || null,
      createdAt: src.dateCreated ?? ctx.now, updatedAt: ctx.now,
    });
  }
  await insertInChunks(ctx, 'clients', rows, (chunk) => ctx.db.insert(oauthClients).values(chunk));
  ctx.report.tallies.clients.imported += rows.length;
  ctx.report.tallies.clients.unchanged += ctx.source.clients.length - rows.length;
}

export async function importLoginPreventions(ctx: ImportContext): Promise<void> {
  const byClient = new Map((await ctx.db.select({ id: loginPreventions.id, clientId: loginPreventions.clientId }).from(loginPreventions)).map((p) => [p.clientId, p.id]));
  const preventionIds = new Map<number, number>();
  const rows: Array<typeof loginPreventions.$inferInsert> = [];
  for (const src of ctx.source.preventions) {
    const clientId = ctx.map.clients.get(src.clientId)!; // every client was imported or matched just before
    let id = byClient.get(clientId);
    if (id === undefined) {
      id = ctx.ids.next('login_preventions');
      rows.push({ id, clientId, createdAt: ctx.now });
      byClient.set(clientId, id);
    }
    preventionIds.set(src.id, id);
  }
  await insertInChunks(ctx, 'login preventions', rows, (chunk) => ctx.db.insert(loginPreventions).values(chunk));
  ctx.report.tallies['login preventions'].imported += rows.length;
  ctx.report.tallies['login preventions'].unchanged += ctx.source.preventions.length - rows.length;

  const links = ctx.source.preventions.flatMap((p) => p.teamIds.map((teamId) => ({ left: p.id, right: teamId })));
  const pairs = mapLinks(ctx, links, 'login prevention teams', { map: preventionIds, name: 'prevention' }, { map: ctx.map.teams, name: 'team' });
  const existing = await ctx.db.select({ a: loginPreventionTeams.preventionId, b: loginPreventionTeams.teamId }).from(loginPreventionTeams);
  const { fresh, known } = newPairs(pairs, existing.map((r) => [r.a, r.b]));
  await insertInChunks(ctx, 'login prevention teams', fresh, (chunk) => ctx.db.insert(loginPreventionTeams).values(chunk.map(([preventionId, teamId]) => ({ preventionId, teamId }))));
  ctx.report.tallies['login prevention teams'].imported += fresh.length;
  ctx.report.tallies['login prevention teams'].unchanged += known;
}
