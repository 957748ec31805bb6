// The account page (docs/compatibility.md §6.9): the signed-in user's own profile (another user's id is 403, a
// non-numeric one 404), the profile form, and the Resources section with its API-key actions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { userActor } from '../access/index.ts';
import { listOwnSignIns } from '../events/index.ts';
import { listUsableResources } from '../protected-resources/index.ts';
import { AppError, catalogue } from '../errors.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { ownOrigins } from '../http/https-rule.ts';
import { requireSession } from '../http/session.ts';
import type { User } from '../users/index.ts';
import type { AccountDeps } from './accounts.deps.ts';
import { applyKeyAction, listActiveResourceKeys, type KeyAction } from './account-keys.service.ts';
import { fieldErrorsOf, readField } from './form-input.ts';
import { endOtherSessions } from './other-sessions.service.ts';
import { asksForNewAddress, updateProfile, type ProfileForm } from './profile.service.ts';
import type { MailFormLimits } from './request-limits.ts';
import { safeNext } from './safe-next.ts';
import { accountPage, emailChangeNotice, KEY_NOTICES, OTHER_SESSIONS_ENDED, PROFILE_UPDATED, type AccountView } from './views/account.ts';

type AccountRequest = FastifyRequest<{ Params: { id?: string }; Querystring: Record<string, unknown> }>;
type KeyRequest = FastifyRequest<{ Params: { keyId?: string; action?: string } }>;
const PAGE_KEY_ACTIONS: readonly string[] = ['renew', 'rotate', 'revoke'];
const RECENT_SIGN_INS = 10;

/** The account id of the path must be the caller's own. */
function checkOwnId(user: User, id: string | undefined): void {
  if (id === undefined) return;
  if (!/^\d{1,15}$/.test(id)) throw new AppError('NOT_FOUND');
  if (Number(id) !== user.id) throw new AppError('FORBIDDEN');
}

function readProfile(body: unknown): ProfileForm {
  const text = (name: string) => readField(body, name);
  return { first_name: text('first_name'), last_name: text('last_name'), email: text('email'), secondary_email: text('secondary_email') };
}

export async function accountRoutes(app: FastifyInstance, deps: AccountDeps & { limits: MailFormLimits }): Promise<void> {
  const { config } = deps;
  const sessionDeps = { ...deps, loginUrl: config.loginUrl };
  const render = async (request: FastifyRequest, reply: FastifyReply, user: User, v: Partial<AccountView> = {}) => {
    const origin = `${request.protocol}://${request.host}`;
    const services = config.DJAM_SHOW_UPSTREAM_SERVICES_IN_DASHBOARD
      ? (await listUsableResources(deps, user)).map((r) => ({ slug: r.slug, description: r.description, url: `${origin}/service/${r.slug}` }))
      : undefined;
    const keys = config.DJAM_SHOW_API_KEYS_IN_DASHBOARD ? await listActiveResourceKeys(deps, user.id) : undefined;
    const signIns = await listOwnSignIns(deps, user.id, RECENT_SIGN_INS);
    return reply.type('text/html').send(accountPage({ user, csrfToken: csrfToken(deps.keys, request, reply), services, keys, signIns, ...v }));
  };

  const show = async (request: AccountRequest, reply: FastifyReply) => {
    const session = await requireSession(sessionDeps, request, reply);
    if (!session) return reply;
    checkOwnId(session.user, request.params.id);
    const done = request.query.keys;
    const keyNotice = typeof done === 'string' && Object.hasOwn(KEY_NOTICES, done) ? KEY_NOTICES[done as KeyAction] : undefined;
    const notice = request.query.sessions === 'ended' ? OTHER_SESSIONS_ENDED : keyNotice;
    const next = safeNext(request.query.next, ownOrigins(request));
    return render(request, reply, session.user, { notice, showFixError: request.query.fix_error === '1', next });
  };
  app.get('/user/account/', show);
  app.get('/user/account/:id/', show);
  app.get('/user/account/edit/:id/', show);

  app.post('/user/account/edit/:id/', async (request: AccountRequest, reply) => {
    const session = await requireSession(sessionDeps, request, reply);
    if (!session) return reply;
    checkOwnId(session.user, request.params.id);
    verifyCsrf(deps.keys, request);
    const values = readProfile(request.body);
    // The authorization that sent the user here to fill in their names (docs/compatibility.md §3.3 step 1) resumes once they are saved.
    const next = safeNext(readField(request.body, 'next'), ownOrigins(request));
    // A change of address mails the new one: as the other forms that send e-mail, limited per IP and address.
    if (asksForNewAddress(session.user, values) && !(await deps.limits.admit(reply, request.ip, values.email))) {
      return render(request, reply.status(429), session.user, { values, next, errors: { __all__: [catalogue.RATE_LIMITED.message] } });
    }
    try {
      const { user, confirmationSentTo } = await updateProfile(deps, session.user, values);
      request.log.info({ userId: user.id, emailChangeRequested: confirmationSentTo !== undefined }, 'account.profile_updated');
      if (next && user.firstName && user.lastName) return reply.redirect(next, 302);
      return render(request, reply, user, { notice: confirmationSentTo ? emailChangeNotice(confirmationSentTo) : PROFILE_UPDATED });
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (!errors) throw err;
      const showFixError = !values.first_name || !values.last_name || !values.email;
      return render(request, reply, session.user, { values, errors, showFixError, next });
    }
  });

  const keyAction = async (request: KeyRequest, reply: FastifyReply) => {
    if (!config.DJAM_SHOW_API_KEYS_IN_DASHBOARD) throw new AppError('NOT_FOUND');
    const session = await requireSession(sessionDeps, request, reply);
    if (!session) return reply;
    verifyCsrf(deps.keys, request);
    const { keyId, action = 'create' } = request.params;
    if (keyId !== undefined && (!/^\d{1,15}$/.test(keyId) || !PAGE_KEY_ACTIONS.includes(action))) throw new AppError('NOT_FOUND');
    await applyKeyAction(deps, userActor(session.user, request.ip), session.user, action as KeyAction, keyId === undefined ? undefined : Number(keyId));
    request.log.info({ userId: session.user.id, keyId, action }, 'account.api_key_changed');
    return reply.redirect(`/user/account/${session.user.id}/?keys=${action}#api-keys`, 302);
  };
  app.post('/user/account/sessions/end-others/', async (request, reply) => {
    const session = await requireSession(sessionDeps, request, reply);
    if (!session) return reply;
    verifyCsrf(deps.keys, request);
    await endOtherSessions(deps, session.user, request.cookies[SESSION_COOKIE] ?? '');
    return reply.redirect(`/user/account/${session.user.id}/?sessions=ended#sign-ins`, 302);
  });
  app.post('/user/account/keys/', keyAction);
  app.post('/user/account/keys/:keyId/:action/', keyAction);
}
