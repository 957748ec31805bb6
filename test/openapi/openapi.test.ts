// docs/compatibility.md §10.3: the OpenAPI document at /openid/api/schema/ (YAML, or JSON on request), the same
// document from `djam openapi`, and Swagger UI at /openid/api/schema/swagger-ui/ in a real
// browser: no failed request, no CSP violation, and "Try it out" with a pasted management key.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { cleanEnv, runCli } from '../helpers/cli-process.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';

const SCHEMA_URL = '/openid/api/schema/';
const UI_URL = '/openid/api/schema/swagger-ui/';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref?: string } }> };
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  info: Record<string, string>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }>; securitySchemes: Record<string, Record<string, string>> };
}

const KEY_ACTIONS = {
  key_list: 'KeyListSchema', create_key: 'CreateKeySchema', status: 'StatusSchema',
  revoke: 'RevokeSchema', renew: 'RenewSchema', rotate: 'RotateSchema',
} as const;

/** Every documented operation: method, operationId, security scheme names, query/path parameters. */
const OPERATIONS: Record<string, { method: string; id: string; security: string[]; params?: string[] }> = {
  ...Object.fromEntries(Object.keys(KEY_ACTIONS).map((action) => [
    `/openid/api/token/${action}/`, { method: 'post', id: action, security: ['tokenAuth'] },
  ])),
  '/openid/authkey/introspect/': { method: 'get', id: 'authkey_introspect', security: [], params: ['authkey', 'format'] },
  '/openid/credentials/introspect/': { method: 'get', id: 'credentials_introspect', security: [], params: ['u', 'p', 'format'] },
  '/openid/introspect/geoserver/': { method: 'post', id: 'geoserver_token_introspect', security: ['basicAuth'] },
  '/api/privilege/geoserver/roles': { method: 'get', id: 'geoserver_roles', security: [], params: ['format'] },
  '/api/privilege/geoserver/adminRole': { method: 'get', id: 'geoserver_admin_role', security: [], params: ['format'] },
  '/api/privilege/geoserver/users': { method: 'get', id: 'geoserver_users', security: ['cookieAuth', 'basicAuth'], params: ['format'] },
  '/api/privilege/groups/': { method: 'get', id: 'groups_list', security: ['cookieAuth', 'basicAuth'], params: ['format'] },
  '/api/privilege/groups/{id}/': { method: 'get', id: 'groups_retrieve', security: ['cookieAuth', 'basicAuth'], params: ['format', 'id'] },
  '/public_api/users/': {
    method: 'get', id: 'users_list', security: ['cookieAuth', 'basicAuth'],
    params: ['page', 'page_size', 'older', 'older_equal', 'newer', 'newer_equal', 'teams', 'email_confirmation', 'format'],
  },
};

let server: TestServer;
let managementKey: string;
let resourceKey: string;
before(async (t) => {
  server = await startTestServer(t);
  const alice = await server.make.user({ email: 'alice@example.com', password: 'alicepass' });
  managementKey = (await server.make.apiKey(alice.id, 'management')).key;
  resourceKey = (await server.make.apiKey(alice.id, 'resource')).key;
});

async function fetchDocument(query = ''): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${server.url}${SCHEMA_URL}${query}`);
  return { res, text: await res.text() };
}

describe('the OpenAPI document', () => {
  test('is YAML by default and JSON with ?format=json, the same document', async () => {
    const yaml = await fetchDocument();
    assert.equal(yaml.res.status, 200);
    assert.equal(yaml.res.headers.get('content-type'), 'application/vnd.oai.openapi; charset=utf-8');
    assert.match(yaml.text, /^openapi: 3\.0\.3$/m);
    assert.doesNotMatch(yaml.text, /[&*]a\d+\b/, 'no YAML anchors or aliases');
    const json = await fetchDocument('?format=json');
    assert.equal(json.res.status, 200);
    assert.match(json.res.headers.get('content-type') ?? '', /^application\/vnd\.oai\.openapi\+json\b/);
    assert.deepEqual(parse(yaml.text), JSON.parse(json.text));
    const byAccept = await fetch(`${server.url}${SCHEMA_URL}`, { headers: { accept: 'application/vnd.oai.openapi+json' } });
    assert.equal(await byAccept.text(), json.text);
    const unknown = await fetchDocument('?format=xml');
    assert.equal(unknown.res.status, 404);
    const slashless = await fetch(`${server.url}${SCHEMA_URL.slice(0, -1)}?format=json`, { redirect: 'manual' });
    assert.equal(slashless.status, 301);
    assert.equal(slashless.headers.get('location'), `${SCHEMA_URL}?format=json`);
  });

  test('names the API, its security schemes and only the REST operations', async () => {
    const doc = JSON.parse((await fetchDocument('?format=json')).text) as Document;
    assert.equal(doc.openapi, '3.0.3');
    assert.equal(doc.info.title, 'DJAM REST API');
    assert.equal(doc.info.description, 'OpenID Identity Provider and custom Privilege Management System');
    const { description, ...tokenAuth } = doc.components.securitySchemes.tokenAuth;
    assert.deepEqual(tokenAuth, { type: 'apiKey', in: 'header', name: 'Authorization' });
    assert.match(description, /`Token <management key>`/);
    assert.equal(doc.components.securitySchemes.cookieAuth.in, 'cookie');
    assert.equal(doc.components.securitySchemes.cookieAuth.name, 'djam_sessionid');
    assert.deepEqual([doc.components.securitySchemes.basicAuth.type, doc.components.securitySchemes.basicAuth.scheme], ['http', 'basic']);
    // Pages, the provider's endpoints, redirects, format suffixes and the other methods' refusals
    // stay out: only REST paths (these, and the console's /api/admin/*, which documents itself).
    const rest = /^\/(?:openid\/(?:api\/token|authkey|credentials|introspect\/geoserver)\/|api\/(?:privilege|admin)\/|public_api\/)/;
    assert.deepEqual(Object.keys(doc.paths).filter((path) => !rest.test(path)), []);
    assert.deepEqual(Object.keys(doc.paths).filter((path) => !path.startsWith('/api/admin/')).sort(), Object.keys(OPERATIONS).sort());
    for (const [path, expected] of Object.entries(OPERATIONS)) {
      assert.deepEqual(Object.keys(doc.paths[path]), [expected.method], path);
      const op = doc.paths[path][expected.method];
      assert.equal(op.operationId, expected.id, path);
      const schemes = [...new Set((op.security ?? []).flatMap((s) => Object.keys(s)))];
      assert.deepEqual(schemes.sort(), [...expected.security].sort(), `security of ${path}`);
      assert.deepEqual((op.parameters ?? []).map((p) => p.name).sort(), [...(expected.params ?? [])].sort(), `parameters of ${path}`);
      assert.ok(op.responses['200'], `${path} documents its success`);
    }
    assert.deepEqual(doc.paths['/openid/authkey/introspect/'].get.parameters?.find((p) => p.name === 'authkey'), {
      schema: { type: 'string', format: 'uuid' }, in: 'query', name: 'authkey', required: true, description: 'A valid resource key.',
    });
  });

  test('refers to the key API bodies by their names, resource_key required where the action needs one', async () => {
    const doc = JSON.parse((await fetchDocument('?format=json')).text) as Document;
    for (const [action, name] of Object.entries(KEY_ACTIONS)) {
      const op = doc.paths[`/openid/api/token/${action}/`].post;
      assert.deepEqual(Object.keys(op.requestBody?.content ?? {}), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
      assert.equal(op.requestBody?.content['application/json'].schema.$ref, `#/components/schemas/${name}`);
      const schema = doc.components.schemas[name];
      assert.ok(schema.properties.account_id, `${name} has account_id`);
      const needsKey = !['key_list', 'create_key'].includes(action);
      assert.deepEqual(schema.required ?? [], needsKey ? ['resource_key'] : [], name);
      assert.equal(op.requestBody?.required, needsKey, `${action}: a body is needed only to name a resource key`);
      for (const status of ['401', '403']) {
        assert.deepEqual(op.responses[status], {
          description: (op.responses[status] as { description: string }).description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/DetailError' } } },
        });
      }
    }
    assert.deepEqual(Object.keys(doc.components.schemas.CreateKeySchema.properties), ['revoked', 'expiry', 'account_id']);
    assert.deepEqual(Object.keys(doc.components.schemas.RotateSchema.properties), ['resource_key', 'short_expiry', 'account_id']);
  });

  test('`djam openapi` writes the served document, YAML by default and JSON on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'djam-openapi-'));
    const yamlFile = join(dir, 'schema.yml');
    const jsonFile = join(dir, 'schema.json');
    const [yamlRun, jsonRun] = await Promise.all([
      runCli(['openapi', '--file', yamlFile], cleanEnv()),
      runCli(['openapi', '--file', jsonFile, '--format', 'json'], cleanEnv()),
    ]);
    assert.equal(yamlRun.code, 0, yamlRun.stderr);
    assert.equal(jsonRun.code, 0, jsonRun.stderr);
    assert.equal(readFileSync(yamlFile, 'utf8'), (await fetchDocument()).text);
    assert.equal(readFileSync(jsonFile, 'utf8'), (await fetchDocument('?format=json')).text);
  });
});

describe('documentation schemas leave the documented routes as they were', () => {
  const post = (action: string, body: unknown) => fetch(`${server.url}/openid/api/token/${action}/`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${managementKey}` }, body: JSON.stringify(body),
  });

  test('the key API answers bad input with its own texts, and its bodies keep every property', async () => {
    assert.deepEqual(await (await post('create_key', { expiry: 12 })).json(), { detail: 'Invalid format or expiration date.' });
    const badRevoked = await post('create_key', { revoked: 'maybe' });
    assert.equal(badRevoked.status, 400);
    assert.deepEqual(await badRevoked.json(), { detail: 'Invalid revoked value.' });
    // No default slipped in: revoke without `revoked` still changes nothing.
    assert.equal(await (await post('revoke', { resource_key: resourceKey })).text(), '{"message": "Please set a revoked value"}');
    assert.deepEqual(await (await post('key_list', { account_id: 'not a number' })).json(), { 'tokens of alice@example.com': [resourceKey] });
  });

  test('the GeoServer endpoints keep their null bodies and query handling', async () => {
    const missing = await fetch(`${server.url}/openid/credentials/introspect/?u=%%%`);
    assert.equal(missing.status, 400);
    assert.equal(await missing.text(), '{"username":null,"groups":null}');
    const refused = await fetch(`${server.url}/openid/authkey/introspect/?authkey=not-a-uuid&authkey=${resourceKey}`);
    assert.equal(refused.status, 200, 'the last of repeated values counts, as before');
  });
});

/** Collects what went wrong in the page: failed requests, HTTP errors, console errors, CSP reports. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('requestfailed', (req) => problems.push(`failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

// Chromium also reports CSP violations on the console; the event names every one of them.
const RECORD_CSP_VIOLATIONS = `window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;

test('Swagger UI loads cleanly and runs key_list with a pasted management key', async (t) => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = watchProblems(page);
  await page.addInitScript(RECORD_CSP_VIOLATIONS);

  const res = await page.goto(`${server.url}${UI_URL}`);
  assert.equal(res?.status(), 200);
  const csp = res?.headers()['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'self'/, 'the page keeps a CSP');
  const keyList = page.locator('#operations-api-keys-key_list');
  await keyList.waitFor();
  await page.getByText('DJAM REST API').first().waitFor();
  assert.deepEqual(problems, [], 'the page loaded without a failed request, HTTP error or CSP violation');

  await page.getByRole('button', { name: 'Authorize' }).first().click();
  const tokenAuth = page.locator('.auth-container').filter({ hasText: 'tokenAuth' });
  await tokenAuth.locator('input').fill(`Token ${managementKey}`);
  await tokenAuth.getByText('Token <management key>').waitFor(); // the hint reads in full
  await tokenAuth.locator('button', { hasText: 'Authorize' }).click();
  await tokenAuth.locator('button', { hasText: 'Logout' }).waitFor();
  await tokenAuth.locator('button', { hasText: 'Close' }).click();

  await keyList.locator('.opblock-summary').first().click();
  await keyList.getByRole('button', { name: 'Try it out' }).click();
  await keyList.getByRole('button', { name: 'Execute' }).click();
  const live = keyList.locator('.live-responses-table');
  await live.locator('.response-col_status').filter({ hasText: '200' }).first().waitFor();
  assert.match(await live.innerText(), new RegExp(`tokens of alice@example\\.com[\\s\\S]*${resourceKey}`));
  assert.deepEqual(problems, [], 'nothing failed while trying the API');
  assert.deepEqual(await page.evaluate('window.cspViolations'), [], 'no CSP violation');

  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: 'test-output/swagger-ui.png', fullPage: true });
});
