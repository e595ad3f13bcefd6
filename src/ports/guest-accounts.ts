import type { UserId } from "../domain/model";

/** B2B guest accounts: invite (User.Invite.All), block sign-in and delete (User.ReadWrite.All). */
export interface GuestAccounts {
  /**
   * Creates (or finds) the guest account for the address; `sendMessage` e-mails the invitation.
   * Throws on failure; an error with `retryable: true` (throttled, unavailable, no answer) may
   * succeed when asked again.
   */
  invite(input: {
    email: string;
    displayName?: string;
    redirectUrl: string;
    sendMessage: boolean;
  }): Promise<{ userId: UserId; redeemUrl?: string; status: string }>;
  /** Blocks sign-in (accountEnabled = false). */
  block(userId: UserId): Promise<void>;
  /** Deletes the guest account; refuses anything that is not a guest. */
  deleteGuest(userId: UserId): Promise<"deleted" | "gone">;
}

/** How approved invitations are sent: the accounts port and what the invitation e-mail links to. */
export interface InvitationSettings {
  accounts: GuestAccounts;
  /** Where the guest lands after redeeming (Teams by default). */
  redirectUrl: string;
  /** Whether Entra e-mails the invitation (off in local mode: there is no mailbox). */
  sendMessage: boolean;
}
