// SQL statements per operation, counted by the database client's own counter
// (Database.statements(), as in test/perf/statement-budgets.test.ts) on a server running in
// this process: each scenario's request once to warm the caches, then once counted; and two
// whole authorization-code flows.
import type { Database } from '../src/db/client.ts';
import { Browser } from '../test/helpers/cookie-jar.ts';
import { authorizePath, codeOf, postToken, redeemCode, type OAuthClient } from './flows.ts';
import { sendOnce, type Scenario } from './scenarios.ts';
import { REDIRECT_URI, type Seed } from './seed.ts';

export interface StatementCount { name: string; statements: number; budget?: number; steps?: FlowStep[] }

/** Statements sent while `fn` runs; fire-and-forget writes get 50 ms to land inside the window. */
async function countDuring(database: Database, fn: () => Promise<unknown>): Promise<number> {
  const start = database.statements();
  await fn();
  await new Promise((r) => setTimeout(r, 50));
  return database.statements() - start;
}

async function countScenario(database: Database, s: Scenario): Promise<number> {
  await s.feed?.fill(2);
  const warm = await sendOnce(s);
  if (warm.status !== s.expect) throw new Error(`${s.name} answered ${warm.status}, not ${s.expect}: ${warm.body.slice(0, 200)}`);
  return countDuring(database, () => sendOnce(s));
}

const htmlAttr = (html: string, re: RegExp) => re.exec(html)?.[1]?.replaceAll('&amp;', '&');

type Mark = (request: string) => void;
interface FlowStep { request: string; statements: number }

/** Statements per request of a flow: `mark` closes the request that just answered. */
function tally(database: Database) {
  let last = database.statements();
  const steps: FlowStep[] = [];
  const mark: Mark = (request) => {
    const now = database.statements();
    steps.push({ request: request.split('?')[0].replace(/\/[\w-]{20,}/g, '/:uid'), statements: now - last });
    last = now;
  };
  return { steps, mark };
}

/** Follows the browser from the authorize request through the login form and the consent page (when shown) to the code. */
async function browseToCode(base: string, seed: Seed, client: OAuthClient, mark: Mark): Promise<string> {
  const browser = new Browser(base);
  let request = `GET ${authorizePath(client.id)}`;
  let res = await browser.get(authorizePath(client.id));
  for (let hop = 0; hop < 20; hop++) {
    mark(request);
    const location = res.headers.get('location');
    if (location?.startsWith(REDIRECT_URI)) return codeOf(location);
    if (location) {
      request = `GET ${new URL(location, base).pathname}`;
      res = await browser.get(location);
      continue;
    }
    const page = await res.text();
    // The page's own form: the layout may hold others (sign out).
    const action = htmlAttr(page, /<form method="post" action="(\/interaction\/[^"]+\/confirm|\/accounts\/login\/[^"]*)"/);
    const csrfmiddlewaretoken = htmlAttr(page, /name="csrfmiddlewaretoken" value="([^"]+)"/);
    if (!action || !csrfmiddlewaretoken) throw new Error(`the flow stopped on a ${res.status} page without a form`);
    const fields: Record<string, string> = action.startsWith('/accounts/login/') ? { username: seed.user.email, password: seed.user.password } : {};
    request = `POST ${action}`;
    res = await browser.post(action, { csrfmiddlewaretoken, ...fields });
  }
  throw new Error('the authorization-code flow did not reach the redirect URI');
}

async function tokenAndUserinfo(base: string, client: OAuthClient, code: string, mark: Mark): Promise<void> {
  const { access_token: at } = await redeemCode(base, client, code);
  mark('POST /openid/token');
  const res = await fetch(`${base}/openid/userinfo`, { headers: { authorization: `Bearer ${at}` } });
  if (res.status !== 200) throw new Error(`userinfo answered ${res.status}`);
  mark('GET /openid/userinfo');
}

/** As the statement-budget test: a signed-out browser posts the login form, then authorize (no consent), token, userinfo. */
async function signInThenAuthorize(base: string, seed: Seed): Promise<(mark: Mark) => Promise<void>> {
  const browser = new Browser(base);
  const page = await (await browser.get('/accounts/login/')).text();
  const csrfmiddlewaretoken = htmlAttr(page, /name="csrfmiddlewaretoken" value="([^"]+)"/)!;
  return async (mark) => {
    await browser.post('/accounts/login/', { csrfmiddlewaretoken, username: seed.user.email, password: seed.user.password });
    mark('POST /accounts/login/');
    const code = codeOf((await browser.get(authorizePath(seed.codeClient.id))).headers.get('location'));
    mark('GET /openid/authorize');
    await tokenAndUserinfo(base, seed.codeClient, code, mark);
  };
}

/** `budget`: as test/perf/statement-budgets.test.ts fixes it for the same flow. */
async function countFlow(database: Database, name: string, budget: number, flow: (mark: Mark) => Promise<void>): Promise<StatementCount> {
  const { steps, mark } = tally(database);
  await flow(mark);
  await new Promise((r) => setTimeout(r, 50)); // writes that land after the last answer
  mark('after the last answer');
  if (steps.at(-1)?.statements === 0) steps.pop();
  return { name, budget, statements: steps.reduce((sum, s) => sum + s.statements, 0), steps };
}

export interface StatementCounts { scenarios: StatementCount[]; flows: StatementCount[] }

export async function countStatements(database: Database, base: string, seed: Seed, scenarios: Scenario[]): Promise<StatementCounts> {
  const perScenario: StatementCount[] = [];
  for (const s of scenarios.filter((x) => !x.skip && !x.external && !x.round)) perScenario.push({ name: s.name, statements: await countScenario(database, s), budget: s.sqlBudget });
  const signedIn = await countFlow(database, 'code flow as the statement-budget test: login POST, authorize (no consent), token, userinfo', 11, await signInThenAuthorize(base, seed));
  // The consent client's first use: warm its cache as the other clients are, so only the flow is counted.
  await postToken(base, seed.consentClient, `grant_type=authorization_code&code=warm&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
  const withConsent = await countFlow(database, 'code flow from a signed-out browser: authorize, login page, login POST, consent page, consent POST, code, token, userinfo', 14,
    async (mark) => tokenAndUserinfo(base, seed.consentClient, await browseToCode(base, seed, seed.consentClient, mark), mark));
  return { scenarios: perScenario, flows: [signedIn, withConsent] };
}
