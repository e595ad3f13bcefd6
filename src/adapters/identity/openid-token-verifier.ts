import { createPublicKey, type JsonWebKey, type KeyObject, verify } from "node:crypto";
import { err, ok, type Result } from "../../domain/result";
import type { SignInClaims, StepUpError } from "../../domain/step-up/step-up";
import type { Clock } from "../../ports/runtime";
import type { SignInTokenVerifier } from "../../ports/step-up";

export interface OpenIdVerifierOptions {
  /** The provider's OpenID metadata, e.g. https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration */
  metadataUrl: string;
  /** Accepted `aud` values: the client id of the sign-in app (ID token) or its API (access token). */
  audiences: string[];
  /** Accepted `iss`; default: the metadata's `issuer` (with `{tenantid}` as the token's `tid`). */
  issuers?: string[];
  clock: Clock;
  /** Allowed lifetime slack for `exp` and `nbf`. */
  skewSeconds?: number;
  /** How long metadata and keys are trusted before they are fetched again. */
  cacheMinutes?: number;
}

interface ProviderKeys {
  issuer: string;
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

const invalid = (message: string): Result<never, StepUpError> =>
  err({ code: "STEP_UP.INVALID_TOKEN", message: `The sign-in could not be verified: ${message}.` });

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Only https, except on this machine (tests and the local chat page's simulated provider). */
function checkedUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname)))
    throw new Error(`OpenID metadata and keys must be fetched over https: ${url.origin}`);
  return url.toString();
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(checkedUrl(url), { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

const decodePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * Verifies RS256 JWTs against an OpenID provider's JWKS (Microsoft Entra ID in production, a
 * loopback provider locally and in tests). Keys are cached and fetched again when a token names a
 * key id the cache does not hold (the provider rotated its keys), at most once a minute.
 */
export class OpenIdTokenVerifier implements SignInTokenVerifier {
  private provider?: ProviderKeys;
  private lastRefresh = 0;

  constructor(private readonly options: OpenIdVerifierOptions) {}

  private async load(force: boolean): Promise<ProviderKeys> {
    const age = Date.now() - (this.provider?.fetchedAt ?? 0);
    const stale = age > (this.options.cacheMinutes ?? 60) * 60_000;
    if (this.provider && !stale && !(force && Date.now() - this.lastRefresh > 60_000)) return this.provider;
    this.lastRefresh = Date.now();
    const metadata = await getJson(this.options.metadataUrl);
    if (typeof metadata.issuer !== "string" || typeof metadata.jwks_uri !== "string")
      throw new Error("the OpenID metadata names no issuer or jwks_uri");
    const jwks = await getJson(metadata.jwks_uri);
    const keys = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(jwks.keys) ? (jwks.keys as JsonWebKey[]) : []) {
      if (jwk.kty !== "RSA" || typeof jwk.kid !== "string" || (jwk.use && jwk.use !== "sig")) continue;
      keys.set(jwk.kid, createPublicKey({ key: jwk, format: "jwk" }));
    }
    this.provider = { issuer: metadata.issuer, keys, fetchedAt: Date.now() };
    return this.provider;
  }

  async verify(token: string): Promise<Result<SignInClaims, StepUpError>> {
    const parts = typeof token === "string" && token.length < 16_384 ? token.split(".") : [];
    if (parts.length !== 3) return invalid("it is not a signed token");
    const [head, body, signature] = parts as [string, string, string];
    const header = decodePart(head);
    const claims = decodePart(body);
    if (!header || !claims) return invalid("it is not a signed token");
    if (header.alg !== "RS256") return invalid("it is not signed with RS256");
    if (typeof header.kid !== "string") return invalid("it names no signing key");

    let provider = await this.load(false);
    if (!provider.keys.has(header.kid)) provider = await this.load(true);
    const key = provider.keys.get(header.kid);
    if (!key) return invalid("it is signed by a key the identity provider does not publish");
    const signed = verify(
      "RSA-SHA256",
      Buffer.from(`${head}.${body}`),
      key,
      Buffer.from(signature, "base64url"),
    );
    if (!signed) return invalid("its signature does not match");

    const tid = typeof claims.tid === "string" ? claims.tid : "";
    const issuers = this.options.issuers ?? [provider.issuer.replace("{tenantid}", tid)];
    if (typeof claims.iss !== "string" || !issuers.includes(claims.iss))
      return invalid("another issuer made it");
    const audiences = typeof claims.aud === "string" ? [claims.aud] : strings(claims.aud);
    if (!audiences.some((a) => this.options.audiences.includes(a)))
      return invalid("it is meant for another app");

    const now = this.options.clock.now().getTime() / 1000;
    const skew = this.options.skewSeconds ?? 300;
    if (typeof claims.exp !== "number" || claims.exp + skew <= now) return invalid("it has expired");
    if (typeof claims.nbf === "number" && claims.nbf - skew > now) return invalid("it is not valid yet");
    if (typeof claims.oid !== "string" || claims.oid.length === 0) return invalid("it names no user (oid)");

    return ok({
      oid: claims.oid,
      ...(typeof claims.auth_time === "number" && Number.isFinite(claims.auth_time)
        ? { authTime: new Date(claims.auth_time * 1000).toISOString() }
        : {}),
      amr: strings(claims.amr),
      acrs: strings(claims.acrs),
    });
  }
}
