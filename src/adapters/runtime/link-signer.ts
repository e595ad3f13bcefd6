import { createHmac, timingSafeEqual } from "node:crypto";
import type { LinkSigner } from "../../ports/signed-links";

/** HMAC-SHA256 with a secret from the configuration (AUDIT_LINK_SECRET), base64url signatures. */
export class HmacLinkSigner implements LinkSigner {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error("a link-signing secret needs at least 32 characters");
  }

  sign(text: string): string {
    return createHmac("sha256", this.secret).update(text, "utf8").digest("base64url");
  }

  verify(text: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(text));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
