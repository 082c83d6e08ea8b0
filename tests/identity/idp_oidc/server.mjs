// A real OpenID provider for Styrkort's sign-in tests: the npm package oidc-provider,
// with a login page of its own (any person listed in the state file signs in by name,
// no password) and, for the bad-input tests, a switch that re-signs the ID token with
// the provider's own key after changing some of its claims (a wrong issuer, audience or
// nonce, an expired token): what a misconfigured or hostile provider would send.
//
//   node server.mjs CONFIG.json
// CONFIG: {"issuer", "port", "clients": [...], "state": "/path/state.json"}
// state.json, read at every request: {"users": {"id": {claims}}, "tamper": {claim: value}}
import fs from "node:fs";
import * as jose from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const state = () => JSON.parse(fs.readFileSync(config.state, "utf8"));

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: { keys: [jwk] },
  claims: {
    openid: ["sub"],
    profile: ["given_name", "family_name", "name"],
    email: ["email"],
    groups: ["groups", "employeeHsaId", "personalIdentityNumber"],
  },
  scopes: ["openid", "offline_access", "profile", "email", "groups"],
  async findAccount(ctx, id) {
    const person = state().users[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...person }; } };
  },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["test-cookie-key"] },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
});
provider.proxy = false;

async function body(req) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) {
    await next();
    const tamper = state().tamper || {};
    if (ctx.path === "/token" && ctx.body && ctx.body.id_token && Object.keys(tamper).length) {
      const claims = jose.decodeJwt(ctx.body.id_token);
      Object.assign(claims, tamper);
      ctx.body = {
        ...ctx.body,
        id_token: await new jose.SignJWT(claims)
          .setProtectedHeader({ alg: "RS256", kid: "test-key" })
          .sign(privateKey),
      };
    }
    return;
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === "GET") {
    ctx.type = "html";
    ctx.body = `<!doctype html><title>Test-IdP</title><form method="post" action="/interaction/${details.uid}">
      <label>Vem <input name="login"></label><button>Logga in</button></form>`;
    return;
  }
  const login = (await body(ctx.req)).get("login");
  if (!state().users[login]) {
    ctx.status = 403;
    ctx.body = "unknown person";
    return;
  }
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(
    ctx.req, ctx.res, { login: { accountId: login }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
});

provider.listen(config.port, "127.0.0.1", () => console.log("ready"));
