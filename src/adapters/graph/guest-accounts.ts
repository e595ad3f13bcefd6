import type { UserId } from "../../domain/model";
import type { GuestAccounts } from "../../ports/guest-accounts";
import { seg, withQuery } from "./odata";
import { GraphCallError, type GraphTransport } from "./transport";

/**
 * Guest accounts through Graph: `POST /invitations` (User.Invite.All), `PATCH /users/{id}`
 * (User.ReadWrite.All, or User.EnableDisableAccount.All) and `DELETE /users/{id}`
 * (User.ReadWrite.All). Deleting a user is the one place Access Desk addresses a directory object
 * itself; it reads the account first and deletes only a guest.
 */
export class GraphGuestAccounts implements GuestAccounts {
  constructor(private readonly transport: GraphTransport) {}

  async invite(input: {
    email: string;
    displayName?: string;
    redirectUrl: string;
    sendMessage: boolean;
  }): Promise<{ userId: UserId; redeemUrl?: string; status: string }> {
    const answer = await this.transport.call({
      method: "POST",
      url: "/invitations",
      body: {
        invitedUserEmailAddress: input.email,
        inviteRedirectUrl: input.redirectUrl,
        sendInvitationMessage: input.sendMessage,
        ...(input.displayName ? { invitedUserDisplayName: input.displayName } : {}),
      },
    });
    if (answer.status !== 201 && answer.status !== 200) throw new GraphCallError("/invitations", answer);
    const body = answer.body as { invitedUser?: { id?: string }; inviteRedeemUrl?: string; status?: string };
    if (!body.invitedUser?.id) throw new GraphCallError("/invitations", answer);
    return {
      userId: body.invitedUser.id,
      ...(body.inviteRedeemUrl ? { redeemUrl: body.inviteRedeemUrl } : {}),
      status: body.status ?? "PendingAcceptance",
    };
  }

  async block(userId: UserId): Promise<void> {
    const url = `/users/${seg(userId)}`;
    const answer = await this.transport.call({ method: "PATCH", url, body: { accountEnabled: false } });
    if (answer.status !== 204 && answer.status !== 200) throw new GraphCallError(url, answer);
  }

  async deleteGuest(userId: UserId): Promise<"deleted" | "gone"> {
    const read = withQuery(`/users/${seg(userId)}`, { $select: "id,userType" });
    const found = await this.transport.call({ method: "GET", url: read });
    if (found.status === 404) return "gone";
    if (found.status !== 200) throw new GraphCallError(read, found);
    if ((found.body as { userType?: string }).userType !== "Guest") {
      throw new Error(`refusing to delete ${userId}: not a guest account`);
    }
    const url = `/users/${seg(userId)}`;
    const answer = await this.transport.call({ method: "DELETE", url });
    if (answer.status === 404) return "gone";
    if (answer.status !== 204) throw new GraphCallError(url, answer);
    return "deleted";
  }
}
