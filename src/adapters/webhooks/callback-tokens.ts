import { createHmac } from "node:crypto";
import type { CallbackClaims } from "../../domain/extensions/model";
import type { CallbackTokens } from "../../ports/extensions";
import { sameSignature } from "./signing";

const b64 = (s: string) => Buffer.from(s).toString("base64url");

/**
 * Callback URLs signed with EXTENSION_CALLBACK_KEY: `<base64url claims>.<base64url HMAC>`. The same
 * claims always give the same token, so a retried webhook carries the same URL. Single use comes
 * from the stage: once decided, the URL is refused.
 */
export class HmacCallbackTokens implements CallbackTokens {
  constructor(private readonly key: string | undefined) {}

  private mac(payload: string): string {
    return createHmac("sha256", this.key!).update(`callback.${payload}`).digest("base64url");
  }

  mint(claims: CallbackClaims): string {
    if (!this.key)
      throw new Error("EXTENSION_CALLBACK_KEY is not set: approval extensions need it to sign callback URLs");
    const { requestId, stage, startedAt, extensionId, expiresAt } = claims;
    const payload = b64(
      JSON.stringify({ r: requestId, s: stage, t: startedAt, x: extensionId, e: expiresAt }),
    );
    return `${payload}.${this.mac(payload)}`;
  }

  read(token: string): CallbackClaims | undefined {
    if (!this.key || token.length > 2048) return undefined;
    const [payload, mac, extra] = token.split(".");
    if (!payload || !mac || extra !== undefined || !sameSignature(this.mac(payload), mac)) return undefined;
    try {
      const c = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
      if (
        typeof c.r !== "string" ||
        typeof c.s !== "number" ||
        typeof c.t !== "string" ||
        typeof c.x !== "string" ||
        typeof c.e !== "string"
      )
        return undefined;
      return { requestId: c.r, stage: c.s, startedAt: c.t, extensionId: c.x, expiresAt: c.e };
    } catch {
      return undefined;
    }
  }
}
