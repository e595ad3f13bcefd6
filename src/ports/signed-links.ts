import type { Instant } from "../domain/model";

/** Signs short texts with a secret the process holds (HMAC); `verify` compares in constant time. */
export interface LinkSigner {
  sign(text: string): string;
  verify(text: string, signature: string): boolean;
}

/**
 * Links already used: a signed download link works once. `claim` is a create that fails when the id
 * exists, so two downloads racing with one link get one answer between them.
 */
export interface UsedLinkStore {
  /** True the first time a link id is claimed; false ever after. `expiresAt` lets old rows be dropped. */
  claim(linkId: string, expiresAt: Instant): Promise<boolean>;
}
