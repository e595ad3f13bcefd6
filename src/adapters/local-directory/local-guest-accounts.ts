import type { UserId } from "../../domain/model";
import type { GuestAccounts } from "../../ports/guest-accounts";
import type { LocalDirectory } from "./local-directory";

/**
 * Guest accounts in the demo organisation, so local mode can show an invitation end to end: an
 * invited partner becomes a guest user of the local directory (pending acceptance), sign-in can be
 * blocked, and a guest can be deleted. Accounts live in memory: a restart forgets them, as the
 * organisation file is the demo's directory.
 */
export class LocalGuestAccounts implements GuestAccounts {
  private invited = 0;

  constructor(private readonly directory: LocalDirectory) {}

  async invite(input: {
    email: string;
    displayName?: string;
    redirectUrl: string;
    sendMessage: boolean;
  }): Promise<{ userId: UserId; redeemUrl?: string; status: string }> {
    const email = input.email.trim().toLowerCase();
    const existing = (await this.directory.listUsers()).find((u) => u.mail?.toLowerCase() === email);
    if (existing) {
      if (existing.userType !== "Guest")
        throw new Error(`${email} already exists as a member of this directory`);
      return { userId: existing.id, status: existing.externalUserState ?? "Accepted" };
    }
    this.invited += 1;
    const local = email.split("@")[0]!.replace(/[^a-z0-9]/g, "");
    const id = `guest-${local}-${this.invited}`;
    this.directory.putUser({
      id,
      displayName: input.displayName ?? email,
      userPrincipalName: `${email.replace("@", "_")}#EXT#@contoso.local`,
      mail: email,
      userType: "Guest",
      accountEnabled: true,
      externalUserState: "PendingAcceptance",
      creationType: "Invitation",
    });
    return { userId: id, status: "PendingAcceptance" };
  }

  async block(userId: UserId): Promise<void> {
    const user = await this.directory.getUser(userId);
    if (!user) throw new Error(`no user ${userId}`);
    this.directory.putUser({ ...user, accountEnabled: false });
  }

  async deleteGuest(userId: UserId): Promise<"deleted" | "gone"> {
    const user = await this.directory.getUser(userId);
    if (!user) return "gone";
    if (user.userType !== "Guest") throw new Error(`refusing to delete ${userId}: not a guest account`);
    this.directory.deleteUser(userId);
    return "deleted";
  }
}
