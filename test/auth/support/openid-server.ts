import { generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The issuer of the tokens the Bot Connector service puts on activities. */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** An RSA key pair in the shape a JWKS publishes it. */
export function newSigningKey(kid: string = randomUUID()): SigningKey & { jwk: Record<string, unknown> } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  return {
    kid,
    privateKey,
    // Bot Framework keys carry the channels they may sign for.
    jwk: { ...jwk, kid, use: "sig", alg: "RS256", endorsements: ["msteams"] },
  };
}

const b64url = (value: object | Buffer): string =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");

/** A compact RS256 JWT. */
export function signJwt(claims: Record<string, unknown>, key: SigningKey): string {
  const head = `${b64url({ alg: "RS256", typ: "JWT", kid: key.kid })}.${b64url(claims)}`;
  const signature = sign("sha256", Buffer.from(head), key.privateKey);
  return `${head}.${b64url(signature)}`;
}

export interface IssuedToken {
  clientId: string;
  scope: string;
  accessToken: string;
}

export interface OpenIdServer {
  url: string;
  /** The key the JWKS publishes. */
  key: SigningKey;
  /** `ToBotFromChannelOpenIdMetadataUrl` */
  channelMetadataUrl: string;
  /** `ToBotFromEmulatorOpenIdMetadataUrl` (an empty key set: no Entra tokens are accepted). */
  emulatorMetadataUrl: string;
  /** `ToChannelFromBotLoginUrl`: the tenant's login base; the token endpoint is below it. */
  loginUrl(tenantId: string): string;
  /** A channel token for `appId`, valid for an hour unless the claims say otherwise. */
  channelToken(appId: string, serviceUrl: string, claims?: Record<string, unknown>, key?: SigningKey): string;
  /** Every request it answered, as "METHOD /path". */
  readonly requests: string[];
  /** Tokens handed to the bot by the client-credentials endpoint. */
  readonly issued: IssuedToken[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/**
 * A loopback stand-in for the Bot Framework's OpenID endpoints: the metadata document, a JWKS with
 * one RSA key, and an OAuth client-credentials token endpoint for the bot's own tokens.
 */
export async function startOpenIdServer(clients: Record<string, string> = {}): Promise<OpenIdServer> {
  const key = newSigningKey();
  const tokenKey = newSigningKey();
  const requests: string[] = [];
  const issued: IssuedToken[] = [];
  let base = "";

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(`${req.method} ${path}`);
    void (async () => {
      if (req.method === "GET" && path === "/.well-known/openid-configuration") {
        return json(res, 200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: `${base}/authorize`,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        });
      }
      if (req.method === "GET" && path === "/keys") return json(res, 200, { keys: [key.jwk] });
      if (req.method === "GET" && path === "/emulator/.well-known/openid-configuration") {
        return json(res, 200, { issuer: `${base}/emulator`, jwks_uri: `${base}/emulator/keys` });
      }
      if (req.method === "GET" && path === "/emulator/keys") return json(res, 200, { keys: [] });
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
      if (req.method === "POST" && token) {
        const form = new URLSearchParams(await readBody(req));
        const clientId = form.get("client_id") ?? "";
        if (
          form.get("grant_type") !== "client_credentials" ||
          clients[clientId] !== form.get("client_secret")
        ) {
          return json(res, 401, { error: "invalid_client" });
        }
        const scope = form.get("scope") ?? "";
        const now = Math.floor(Date.now() / 1000);
        const accessToken = signJwt(
          {
            iss: `${base}/${token[1]}/v2.0`,
            aud: scope.replace(/\/\.default$/, ""),
            azp: clientId,
            iat: now,
            exp: now + 3600,
          },
          tokenKey,
        );
        issued.push({ clientId, scope, accessToken });
        return json(res, 200, { token_type: "Bearer", expires_in: 3600, access_token: accessToken });
      }
      json(res, 404, { error: "not_found" });
    })().catch((error: unknown) => json(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    key,
    channelMetadataUrl: `${base}/.well-known/openid-configuration`,
    emulatorMetadataUrl: `${base}/emulator/.well-known/openid-configuration`,
    loginUrl: (tenantId) => `${base}/${tenantId}`,
    channelToken(appId, serviceUrl, claims = {}, signingKey = key) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        {
          serviceurl: serviceUrl,
          nbf: now - 60,
          exp: now + 3600,
          iss: BOT_FRAMEWORK_ISSUER,
          aud: appId,
          ...claims,
        },
        signingKey,
      );
    },
    requests,
    issued,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
