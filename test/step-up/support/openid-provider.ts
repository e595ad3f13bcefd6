import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { newSigningKey, signJwt, type SigningKey } from "../../auth/support/openid-server";

export const TENANT = "7a1d3c55-0000-4000-8000-00000000a11d";
/** The client id of the sign-in app the Azure Bot OAuth connection uses. */
export const SIGN_IN_CLIENT_ID = "3f0c2a9e-0000-4000-8000-0000005e1f1d";

export interface LoopbackOpenId {
  metadataUrl: string;
  issuer: string;
  key: SigningKey;
  /** An ID token for `oid`, signed by the published key; claims override the defaults. */
  token(oid: string, at: Date, claims?: Record<string, unknown>, key?: SigningKey): string;
  /** Every request it answered, as "METHOD /path". */
  requests: string[];
  close(): Promise<void>;
}

/**
 * An Entra-shaped OpenID provider on 127.0.0.1: v2.0 metadata with a `{tenantid}`-free issuer, a
 * JWKS with one RSA key, and tokens with `oid`, `tid`, `amr`, `acrs` and `auth_time`.
 */
export async function startOpenIdProvider(): Promise<LoopbackOpenId> {
  const key = newSigningKey();
  const requests: string[] = [];
  let base = "";
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(`${req.method} ${path}`);
    const send = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === `/${TENANT}/v2.0/.well-known/openid-configuration`)
      return send({ issuer: `${base}/${TENANT}/v2.0`, jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys` });
    if (path === `/${TENANT}/discovery/v2.0/keys`) return send({ keys: [key.jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${TENANT}/v2.0`;
  return {
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    issuer,
    key,
    token(oid, at, claims = {}, signingKey = key) {
      const now = Math.floor(at.getTime() / 1000);
      return signJwt(
        {
          iss: issuer,
          aud: SIGN_IN_CLIENT_ID,
          tid: TENANT,
          oid,
          amr: ["pwd", "mfa"],
          auth_time: now,
          iat: now,
          nbf: now,
          exp: now + 3600,
          ...claims,
        },
        signingKey,
      );
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
