import { generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import type * as restify from "restify";
import { sendFile, sendJson } from "./http-util";
import { guardProblem } from "./request-guard";
import type { Persona } from "./types";

/** How a simulated sign-in went: with or without multi-factor authentication. */
export interface SimulatedSignIn {
  mfa: boolean;
  /** The sign-in time (`auth_time`, `iat`); default: the channel's clock. */
  at?: Date;
}

/**
 * The local channel's OpenID provider: what Microsoft Entra ID and the Azure Bot OAuth connection
 * are to Teams. It publishes OpenID metadata and a JWKS on loopback and signs ID tokens for the
 * channel's personas with a key generated when the process starts, so step-up sign-ins can be tried
 * locally and are checked by the same verifier as in production. It never signs for anyone else.
 */
export interface LocalIdentityProvider {
  /** `aud` of every token it issues (the client id of a sign-in app, in Entra terms). */
  readonly audience: string;
  /** `<serviceUrl>/openid/.well-known/openid-configuration`; known once the channel listens. */
  readonly metadataUrl: string;
  /** `iss` of its tokens. */
  readonly issuer: string;
  /** The link a login request carries; the chat page answers it with its sign-in dialog. */
  readonly signInUrl: string;
  /** A signed ID token for one of the channel's personas (oid = persona id). */
  issue(userId: string, signIn: SimulatedSignIn): string;
}

export const LOCAL_SIGN_IN_AUDIENCE = "local-chat-sign-in";

interface ProviderDeps {
  serviceUrl(): string;
  basePath: string;
  tenantId: string;
  now(): string;
  persona(id: string): Persona | undefined;
}

interface Key {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

const b64url = (value: object | Buffer): string =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");

export function createIdentityProvider(deps: ProviderDeps): LocalIdentityProvider & {
  mount(server: restify.Server): void;
} {
  // Generated on first use: channels that never sign anyone in (most tests) skip the RSA work.
  let key: Key | undefined;
  const signingKey = (): Key => {
    if (!key) {
      const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const kid = randomUUID();
      const jwk = { ...(publicKey.export({ format: "jwk" }) as object), kid, use: "sig", alg: "RS256" };
      key = { kid, privateKey, jwk };
    }
    return key;
  };
  const issuer = () => `${deps.serviceUrl()}/openid`;

  const provider = {
    audience: LOCAL_SIGN_IN_AUDIENCE,
    get issuer() {
      return issuer();
    },
    get metadataUrl() {
      return `${issuer()}/.well-known/openid-configuration`;
    },
    get signInUrl() {
      return `${issuer()}/authorize`;
    },
    issue(userId: string, signIn: SimulatedSignIn): string {
      const persona = deps.persona(userId);
      if (!persona) throw new Error(`${userId} is not one of the local channel's people`);
      const at = Math.floor((signIn.at ?? new Date(deps.now())).getTime() / 1000);
      const claims = {
        iss: issuer(),
        aud: LOCAL_SIGN_IN_AUDIENCE,
        tid: deps.tenantId,
        oid: persona.id,
        sub: persona.id,
        name: persona.displayName,
        amr: signIn.mfa ? ["pwd", "mfa"] : ["pwd"],
        auth_time: at,
        iat: at,
        nbf: at,
        exp: at + 3600,
        ver: "2.0",
      };
      const k = signingKey();
      const head = `${b64url({ alg: "RS256", typ: "JWT", kid: k.kid })}.${b64url(claims)}`;
      return `${head}.${b64url(sign("sha256", Buffer.from(head), k.privateKey))}`;
    },
    mount(server: restify.Server) {
      const base = `${deps.basePath}/openid`;
      const guarded =
        (kind: "page" | "api", answer: (res: restify.Response) => void) =>
        async (req: restify.Request, res: restify.Response) => {
          const refused = guardProblem(req, kind);
          if (refused) return sendJson(res, refused.status, { error: refused.message });
          answer(res);
        };
      server.get(
        `${base}/.well-known/openid-configuration`,
        guarded("api", (res) =>
          sendJson(res, 200, {
            issuer: issuer(),
            jwks_uri: `${issuer()}/keys`,
            authorization_endpoint: `${issuer()}/authorize`,
            response_types_supported: ["id_token"],
            subject_types_supported: ["pairwise"],
            id_token_signing_alg_values_supported: ["RS256"],
            claims_supported: ["iss", "aud", "tid", "oid", "sub", "name", "amr", "auth_time"],
          }),
        ),
      );
      server.get(
        `${base}/keys`,
        guarded("api", (res) => sendJson(res, 200, { keys: [signingKey().jwk] })),
      );
      // Teams would open the sign-in link in a pop-up; here the chat page signs in with its dialog.
      server.get(
        `${base}/authorize`,
        guarded("page", (res) =>
          sendFile(
            res,
            "text/plain; charset=utf-8",
            "Access Desk's local sign-in is simulated: use the sign-in dialog on the chat page (/chat).\n",
          ),
        ),
      );
    },
  };
  return provider;
}
