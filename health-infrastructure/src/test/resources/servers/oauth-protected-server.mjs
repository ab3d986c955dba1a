// An OAuth-protected MCP server for the integration tests (docs/authorization.md): a real authorization server
// nobody here wrote (oauth2-mock-server, from npm) in front of a real MCP server on @modelcontextprotocol/sdk, guarded
// by the SDK's own bearer-auth middleware and serving its RFC 9728 protected resource metadata. oauth2-mock-server
// checks no client credentials by itself: its hooks below add what a real authorization server does (client secrets,
// revoked clients, PKCE's verifier, one-time codes, rotating refresh tokens, the token's lifetime and audience).
// Only 127.0.0.1 is used. Prints ONE JSON line to stdout when ready; exits when its stdin closes.
// Env: REQUIRED_SCOPES ("mcp:tools"; space/comma separated, "" = none), TOKEN_TTL_SECONDS (3600),
//      REVOKED_CLIENTS ("a,b"), CLIENT_SECRETS ("id:secret,..."; listed ids must authenticate),
//      EXPECT_RESOURCE ("1": the MCP server takes only tokens whose audience is its URL), AS_PORT / MCP_PORT (0).
//      ROTATE_REFRESH ("0": a refresh answers no new refresh token; the old one stays good, as RFC 6749 §6 allows),
//      ALLOWED_SCOPES ("id=a b;id2=c": the scopes a client may be granted; asking for others is invalid_scope).
//      AS ("sdk": the MCP SDK's own authorization server instead, with dynamic client registration; see (a)).
// Control while it runs (POST, form-encoded, on the authorization server): /_rig/revoke and /_rig/restore
// (client_id=..), /_rig/ttl (seconds=..), /_rig/require (scopes=.. : the scopes the MCP server requires from now on).
import { randomUUID, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OAuth2Server, Events } from 'oauth2-mock-server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { metadataHandler } from '@modelcontextprotocol/sdk/server/auth/handlers/metadata.js';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import * as z from 'zod';

const env = process.env;
const list = (s) => (s ?? '').split(/[\s,]+/).filter(Boolean);
const REQUIRED_SCOPES = list(env.REQUIRED_SCOPES ?? 'mcp:tools');
const state = {
  ttl: Number(env.TOKEN_TTL_SECONDS ?? 3600),
  revoked: new Set(list(env.REVOKED_CLIENTS)),
  secrets: new Map(list(env.CLIENT_SECRETS).map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)])),
  codes: new Map(),    // code -> { clientId, scope, resource, pkce }
  refresh: new Map(),  // refresh_token -> { clientId, scope, resource }
  // private_key_jwt clients: id -> public key (CLIENT_PUBLIC_KEYS="id=/path/key.pub.pem,...")
  keys: new Map(list(env.CLIENT_PUBLIC_KEYS).map((p) => [p.slice(0, p.indexOf('=')),
    createPublicKey(readFileSync(p.slice(p.indexOf('=') + 1)))])),
  assertions: new Set(), // jti of client assertions seen (each is good once)
  rotate: env.ROTATE_REFRESH !== '0',
  allowed: new Map((env.ALLOWED_SCOPES ?? '').split(';').filter((p) => p.includes('='))
    .map((p) => [p.slice(0, p.indexOf('=')), new Set(list(p.slice(p.indexOf('=') + 1)))])),
};

// ---------- (a) authorization server: oauth2-mock-server, or (AS=sdk) the MCP SDK's own ----------
// AS=sdk: the authorization server of @modelcontextprotocol/sdk's auth router with its in-memory provider (dynamic
// client registration at /register, authorization code + PKCE approved at once, opaque tokens, no refresh), for the
// clients that register themselves; the hooks and controls below are oauth2-mock-server's only.
const sdkAs = env.AS === 'sdk' ? await startSdkAuthorizationServer() : null;
const as = sdkAs ? null : new OAuth2Server();
if (as) {
  await as.issuer.keys.generate('RS256');
  await as.start(Number(env.AS_PORT ?? 0), '127.0.0.1');
  as.issuer.url = `http://127.0.0.1:${as.address().port}`; // start() would say http://localhost:PORT
}
const issuer = sdkAs ? sdkAs.issuer : as.issuer.url;

async function startSdkAuthorizationServer() {
  const { mcpAuthRouter } = await import('@modelcontextprotocol/sdk/server/auth/router.js');
  const { DemoInMemoryAuthProvider } = await import(
    '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js');
  const { default: express } = await import('express');
  const provider = new DemoInMemoryAuthProvider();
  const app = express();
  const server = await new Promise((r) => { const s = app.listen(Number(env.AS_PORT ?? 0), '127.0.0.1', () => r(s)); });
  const url = new URL(`http://127.0.0.1:${server.address().port}/`);
  app.use(mcpAuthRouter({ provider, issuerUrl: url, scopesSupported: REQUIRED_SCOPES,
    clientRegistrationOptions: { rateLimit: false } }));
  return { issuer: url.href, provider, server };
}

/** client id + secret from client_secret_basic or client_secret_post, private_key_jwt's assertion, or public. */
function clientOf(req) {
  const h = req.headers.authorization ?? '';
  if (req.body?.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return { id: assertionSubject(req.body.client_assertion), assertion: req.body.client_assertion, method: 'jwt' };
  }
  if (/^basic /i.test(h)) {
    const dec = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const i = dec.indexOf(':');
    return { id: decodeURIComponent(dec.slice(0, i)), secret: decodeURIComponent(dec.slice(i + 1)), method: 'basic' };
  }
  return { id: req.body?.client_id, secret: req.body?.client_secret, method: req.body?.client_secret ? 'post' : 'none' };
}
function assertionSubject(jwt) {
  try {
    return JSON.parse(Buffer.from(String(jwt).split('.')[1], 'base64url').toString('utf8')).sub;
  } catch {
    return undefined;
  }
}
/** Why a client assertion (RFC 7523) is not good, or null: signed by the client's key, for this server, in time. */
function assertionProblem(c) {
  const key = state.keys.get(c.id);
  if (!key) return `client ${c.id} has no registered key`;
  const [h, p, sig] = String(c.assertion).split('.');
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return 'the assertion is not a JWT';
  }
  const alg = { RS256: ['sha256', {}], ES256: ['sha256', { dsaEncoding: 'ieee-p1363' }] }[header.alg];
  if (!alg) return `unsupported alg ${header.alg}`;
  const ok = verifySignature(alg[0], Buffer.from(`${h}.${p}`), { key, ...alg[1] }, Buffer.from(sig ?? '', 'base64url'));
  if (!ok) return 'the assertion signature does not verify';
  const aud = [claims.aud].flat();
  if (claims.iss !== c.id || claims.sub !== c.id) return 'iss and sub must be the client id';
  if (!aud.includes(`${issuer}/token`) && !aud.includes(issuer)) return 'the assertion is for another audience';
  if (!(claims.exp > Date.now() / 1000)) return 'the assertion has expired';
  if (!claims.jti || state.assertions.has(claims.jti)) return 'the assertion was used before';
  state.assertions.add(claims.jti);
  return null;
}
/** What this token request is granting (scope/resource remembered from /authorize or the refresh token). */
function grantOf(req) {
  const b = req.body ?? {};
  const prior = b.grant_type === 'authorization_code' ? state.codes.get(b.code)
    : b.grant_type === 'refresh_token' ? state.refresh.get(b.refresh_token) : undefined;
  return { prior, scope: b.scope ?? prior?.scope, resource: b.resource ?? b.aud ?? prior?.resource };
}
const accessTokenSeen = new WeakSet(); // BeforeTokenSigning fires for access token first, then id_token
if (as) { // the hooks of a real authorization server, on oauth2-mock-server (AS=sdk has its own rules)
  as.service.on(Events.BeforeTokenSigning, (token, req) => {
    const { id } = clientOf(req);
    token.payload.exp = token.payload.iat + state.ttl;
    if (accessTokenSeen.has(req)) return; // the id_token: leave it alone apart from exp
    accessTokenSeen.add(req);
    const { scope, resource } = grantOf(req);
    if (id) { token.payload.client_id = id; token.payload.sub ??= id; }
    if (scope !== undefined) token.payload.scope = scope;
    if (resource !== undefined) token.payload.aud = resource;
  });
  as.service.on(Events.BeforeResponse, (resp, req) => {
    const b = req.body ?? {};
    const c = clientOf(req);
    const fail = (status, error, error_description) => { resp.statusCode = status; resp.body = { error, error_description }; };
    if (c.id && state.revoked.has(c.id)) return fail(401, 'invalid_client', `client ${c.id} has been revoked`);
    if (c.id && state.secrets.has(c.id) && state.secrets.get(c.id) !== c.secret) return fail(401, 'invalid_client', 'bad client credentials');
    if (c.method === 'jwt') {
      const problem = assertionProblem(c);
      if (problem) return fail(401, 'invalid_client', problem);
    } else if (c.id && state.keys.has(c.id)) {
      return fail(401, 'invalid_client', `client ${c.id} authenticates with private_key_jwt`);
    }
    const { prior, scope, resource } = grantOf(req);
    if (c.id && state.allowed.has(c.id)) {
      const refused = list(scope).filter((x) => !state.allowed.get(c.id).has(x));
      if (refused.length) return fail(400, 'invalid_scope', `client ${c.id} may not have ${refused.join(' ')}`);
    }
    if (b.grant_type === 'refresh_token' && prior && b.scope
        && list(b.scope).some((x) => !list(prior.scope).includes(x))) {
      return fail(400, 'invalid_scope', 'a refresh may not widen the scopes (RFC 6749 section 6)');
    }
    if (b.grant_type === 'authorization_code') {
      if (!prior) return fail(400, 'invalid_grant', 'unknown or used code');
      state.codes.delete(b.code);
      if (prior.pkce && !b.code_verifier) return fail(400, 'invalid_grant', 'code_verifier required'); // mock only checks if sent
    }
    if (b.grant_type === 'refresh_token') {
      if (!prior) return fail(400, 'invalid_grant', 'unknown refresh_token');
      if (state.rotate) state.refresh.delete(b.refresh_token); // rotate
    }
    resp.body.expires_in = state.ttl;
    if (scope !== undefined) resp.body.scope = scope;
    if (b.grant_type === 'refresh_token' && !state.rotate) delete resp.body.refresh_token; // the old one stays good
    if (resp.body.refresh_token) state.refresh.set(resp.body.refresh_token, { clientId: c.id, scope, resource });
  });
  as.service.on(Events.BeforeAuthorizeRedirect, (redirect, req) => {
    const code = redirect.url.searchParams.get('code');
    const q = req.query ?? {};
    if (!code) return;
    if (q.client_id && state.revoked.has(q.client_id)) { // refuse at the front door too
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'unauthorized_client');
      return;
    }
    state.codes.set(code, { clientId: q.client_id, scope: q.scope, resource: q.resource, pkce: !!q.code_challenge });
  });
  as.service.on(Events.BeforeWellKnownOpenIdConfiguration, (doc) => {
    Object.assign(doc.body, {
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      grant_types_supported: [...doc.body.grant_types_supported, 'refresh_token'],
      scopes_supported: [...new Set([...REQUIRED_SCOPES, 'mcp:tools', 'openid'])],
    });
  });
  // RFC 8414 document (the mock only serves OIDC discovery): same body, same hook.
  as.service.addRoute('GET', '/.well-known/oauth-authorization-server', (req, res) => as.service.openidConfigurationHandler(req, res));
  // Test control: POST /_rig/revoke|/_rig/restore (client_id=..), POST /_rig/ttl (seconds=..)
  const ok = (res, body) => { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify(body)); };
  const arg = (req, k) => req.body?.[k] ?? req.query?.[k];
  as.service.addRoute('POST', '/_rig/revoke', (req, res) => { state.revoked.add(arg(req, 'client_id')); ok(res, { revoked: [...state.revoked] }); });
  as.service.addRoute('POST', '/_rig/restore', (req, res) => { state.revoked.delete(arg(req, 'client_id')); ok(res, { revoked: [...state.revoked] }); });
  as.service.addRoute('POST', '/_rig/require', (req, res) => { required.scopes = list(arg(req, 'scopes')); auth = guard(); ok(res, { required: required.scopes }); });
  as.service.addRoute('POST', '/_rig/ttl', (req, res) => { state.ttl = Number(arg(req, 'seconds')); ok(res, { ttl: state.ttl }); });
}

// ---------- (b) resource server: MCP streamable HTTP behind requireBearerAuth ----------
const app = createMcpExpressApp({ host: '127.0.0.1' }); // Host-header check + express.json()
const http = await new Promise((r) => { const s = app.listen(Number(env.MCP_PORT ?? 0), '127.0.0.1', () => r(s)); });
const mcpUrl = new URL(`http://127.0.0.1:${http.address().port}/mcp`);
const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(mcpUrl); // .../.well-known/oauth-protected-resource/mcp

const prm = { resource: mcpUrl.href, authorization_servers: [issuer], scopes_supported: REQUIRED_SCOPES,
  bearer_methods_supported: ['header'], resource_name: 'oauth rig' };
app.use('/.well-known/oauth-protected-resource/mcp', metadataHandler(prm)); // RFC 9728 path-suffixed
app.use('/.well-known/oauth-protected-resource', metadataHandler(prm));     // root variant

const jwks = as ? createRemoteJWKSet(new URL(`${issuer}/jwks`)) : null;
const verifier = sdkAs ? {
  async verifyAccessToken(token) { // the SDK's provider keeps its opaque tokens: asked directly
    try {
      return await sdkAs.provider.verifyAccessToken(token);
    } catch (e) {
      throw new InvalidTokenError(String(e.message).replace(/"/g, "'"));
    }
  },
} : {
  async verifyAccessToken(token) {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] }));
    } catch (e) {
      // must be InvalidTokenError (else 500); the SDK does not escape quotes in WWW-Authenticate
      throw new InvalidTokenError(`${e.code ?? "ERR"}: ${e.message}`.replace(/"/g, "'"));
    }
    const aud = [payload.aud ?? []].flat().find((a) => URL.canParse(a));
    return { token, clientId: String(payload.client_id ?? payload.azp ?? payload.sub ?? 'unknown'),
      scopes: list(payload.scope), expiresAt: payload.exp, resource: aud ? new URL(aud) : undefined,
      extra: { sub: payload.sub } };
  },
};
const required = { scopes: REQUIRED_SCOPES };
const guard = () => requireBearerAuth({ verifier, requiredScopes: required.scopes, resourceMetadataUrl,
  expectedResource: env.EXPECT_RESOURCE === '1' ? mcpUrl : undefined });
let auth = guard();
const authorized = (req, res, next) => auth(req, res, next); // the guard of the moment (/_rig/require)

const transports = new Map();
function newMcpServer() {
  const server = new McpServer({ name: 'oauth-rig', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes text', inputSchema: { text: z.string() } },
    async ({ text }, extra) => ({ content: [{ type: 'text', text: `${text} (client=${extra.authInfo?.clientId})` }] }));
  return server;
}
app.post('/mcp', authorized, async (req, res) => {
  const sid = req.headers['mcp-session-id'];
  let t = sid ? transports.get(sid) : undefined;
  if (!t) {
    if (sid || !isInitializeRequest(req.body)) {
      return res.status(sid ? 404 : 400).json({ jsonrpc: '2.0', error: { code: -32000, message: sid ? 'Unknown session' : 'No session' }, id: null });
    }
    t = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => transports.set(id, t) });
    t.onclose = () => t.sessionId && transports.delete(t.sessionId);
    await newMcpServer().connect(t);
  }
  await t.handleRequest(req, res, req.body);
});
const bySession = async (req, res) => {
  const t = transports.get(req.headers['mcp-session-id']);
  if (!t) return res.status(404).send('Unknown session');
  await t.handleRequest(req, res);
};
app.get('/mcp', authorized, bySession);
app.delete('/mcp', authorized, bySession);

process.stdout.write(JSON.stringify({ issuer, tokenEndpoint: `${issuer}/token`, authorizationEndpoint: `${issuer}/authorize`,
  jwksUri: `${issuer}/jwks`, controlUrl: `${issuer}/_rig`, mcpUrl: mcpUrl.href, resourceMetadataUrl,
  requiredScopes: REQUIRED_SCOPES, tokenTtlSeconds: state.ttl }) + '\n');

const shutdown = async () => { for (const t of transports.values()) await t.close().catch(() => {}); http.close(); if (as) await as.stop().catch(() => {}); sdkAs?.server.close(); process.exit(0); };
process.on('SIGTERM', shutdown); process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown); process.stdin.resume();
