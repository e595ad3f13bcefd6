import type { Instant, UserId } from "../domain/model";
import type { Versioned } from "./versioned";

/**
 * What a claim reserves for one person and one access package:
 * - `access`: the person's one open request for the package or, once delivered, their one active
 *   assignment of it (the holder says which; delivery hands the claim from one to the other);
 * - `extension`: the one open extension request of that assignment.
 */
export type ClaimKind = "access" | "extension";

export interface ClaimKey {
  userId: UserId;
  packageId: string;
  kind: ClaimKind;
}

/** Who holds a claim: a request (while it is open) or an assignment (while it is active). */
export interface ClaimHolder {
  type: "request" | "assignment";
  id: string;
}

export interface Claim extends ClaimKey {
  holder: ClaimHolder;
  /** When the holder took it: a holder not stored yet is still being created, for a while. */
  at: Instant;
}

/**
 * Claim rows: the invariant "one open request and one active assignment per person and package"
 * held by storage, as a create that fails when the key exists (409) and a compare-and-swap on the
 * row's ETag, never by checking and then creating. The store only keeps rows; whether a holder
 * still holds (its request open, its assignment active) is judged by the caller, who then takes
 * the row over at the ETag it read.
 */
export interface ClaimStore {
  get(key: ClaimKey): Promise<Versioned<Claim> | undefined>;
  /** Creates the row; its ETag, or undefined when the key is already claimed. */
  create(claim: Claim): Promise<string | undefined>;
  /** Replaces the row at `etag`; the new ETag, or undefined when it changed or was deleted. */
  replace(claim: Claim, etag: string): Promise<string | undefined>;
  /**
   * Deletes the claims of this person and package (either kind) that `holderId` holds, each at the
   * ETag it was read with: a row someone else took meanwhile stays. Nothing held: nothing done.
   */
  release(userId: UserId, packageId: string, holderId: string): Promise<void>;
  /**
   * The version of the row this process last created or replaced, if it remembers one: a first
   * attempt for a hand-over, which the compare-and-swap confirms (another instance may have changed
   * the row since). Optional: a store without it is always read.
   */
  remembered?(key: ClaimKey): Versioned<Claim> | undefined;
}
