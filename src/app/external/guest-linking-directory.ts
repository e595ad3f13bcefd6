import type { ConnectedOrganization, DirectoryUser, UserId } from "../../domain/model";
import { linkGuest } from "../../domain/external/guest-organization";
import { inviteeEmail, inviteeUser, organizationOfAddress } from "../../domain/external/invitation";
import type { Directory } from "../../ports/directory";

/**
 * A directory whose guests carry their connected organisation, found from the declared
 * organisations' domains (Graph does not know Access Desk's connected organisations). With it,
 * connected-organisation scopes and sponsor approvers and reviewers work in Graph mode as in the demo.
 * It also describes invitees (`invitee:<address>`, a partner a sponsor asked for who has no account
 * yet) as guests of the organisation owning their domain: no manager, no groups, no sponsors in Entra.
 */
export class GuestLinkingDirectory implements Directory {
  constructor(
    private readonly inner: Directory,
    private readonly organizations: () => Promise<readonly ConnectedOrganization[]>,
  ) {}

  async getUser(id: UserId): Promise<DirectoryUser | undefined> {
    const email = inviteeEmail(id);
    if (email !== undefined)
      return inviteeUser(email, organizationOfAddress(email, await this.organizations()));
    const user = await this.inner.getUser(id);
    return user && this.link([user]).then((u) => u[0]);
  }

  async findUsers(query: string, limit?: number): Promise<DirectoryUser[]> {
    return this.link(await this.inner.findUsers(query, limit));
  }

  async getManager(userId: UserId, level: 1 | 2): Promise<DirectoryUser | undefined> {
    if (inviteeEmail(userId) !== undefined) return undefined;
    const manager = await this.inner.getManager(userId, level);
    return manager && this.link([manager]).then((u) => u[0]);
  }

  async getDirectReports(userId: UserId): Promise<DirectoryUser[]> {
    if (inviteeEmail(userId) !== undefined) return [];
    return this.link(await this.inner.getDirectReports(userId));
  }

  getGroup = (id: string) => this.inner.getGroup(id);
  getGroupMemberIds = (groupId: string) => this.inner.getGroupMemberIds(groupId);
  getUserGroupIds = async (userId: string) =>
    inviteeEmail(userId) !== undefined ? [] : this.inner.getUserGroupIds(userId);

  async listUsers(): Promise<DirectoryUser[]> {
    return this.link(await this.inner.listUsers());
  }

  /** The user's sponsors as Entra records them (`/users/{id}/sponsors`), when the directory knows them. */
  async getSponsors(userId: UserId): Promise<UserId[]> {
    if (inviteeEmail(userId) !== undefined) return [];
    return (await this.inner.getSponsors?.(userId)) ?? [];
  }

  private async link(users: DirectoryUser[]): Promise<DirectoryUser[]> {
    if (!users.some((u) => u.userType === "Guest" && !u.connectedOrganizationId)) return users;
    const orgs = await this.organizations();
    return users.map((u) => linkGuest(u, orgs));
  }
}
