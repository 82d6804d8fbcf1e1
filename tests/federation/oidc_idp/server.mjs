// A real OpenID Provider for the sign-in tests: panva's oidc-provider (OpenID Certified).
// Configured by the environment: PORT, CLIENTS (JSON list of client metadata) and ACCOUNTS
// (JSON object: login name -> claims). Its one stand-in is the login page: GET
// /interaction/<uid>?login=<name>&amr=<a,b> signs <name> in with those amr values (what a
// person would type into a real provider's form), and consent is given at once.
import http from "node:http";

// The tests' one clock (platform/config/testclock.py): SAMNAV_TEST_CLOCK is "<instant>@<real
// epoch seconds when it was that instant>"; this process's Date ticks from there too.
const spec = process.env.SAMNAV_TEST_CLOCK;
if (spec && spec !== "real") {
  const at = spec.lastIndexOf("@");
  const RealDate = Date;
  const offset = RealDate.parse(spec.slice(0, at)) - Number(spec.slice(at + 1)) * 1000;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  };
}
const { default: Provider } = await import("oidc-provider");

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS);
const accounts = JSON.parse(process.env.ACCOUNTS);

const provider = new Provider(issuer, {
  clients,
  findAccount: async (_ctx, id) =>
    accounts[id] && { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) },
  claims: {
    openid: ["sub", "acr", "amr", "auth_time"],
    email: ["email", "email_verified"],
    profile: ["name", "groups"],
    acr: null,
    amr: null,
    auth_time: null,
  },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, IdToken: 300, AccessToken: 300, AuthorizationCode: 60 },
  cookies: { keys: ["samnav-test-only"] },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;

const handle = provider.callback();

async function interaction(req, res) {
  const url = new URL(req.url, issuer);
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === "login") {
    const login = url.searchParams.get("login");
    if (!login || !accounts[login]) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<form><input name=login></form>");
      return;
    }
    const amr = (url.searchParams.get("amr") || "pwd").split(",");
    result = { login: { accountId: login, amr, acr: amr.includes("mfa") ? "mfa" : "pwd" } };
  } else {
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(String(params.scope));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

http
  .createServer((req, res) => {
    if (req.url.startsWith("/interaction/")) {
      interaction(req, res).catch((err) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      });
      return;
    }
    handle(req, res);
  })
  .listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
