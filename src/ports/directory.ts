import type { DirectoryGroup, DirectoryUser, GroupId, UserId } from "../domain/model";

/** Who people are: the local demo directory or Microsoft Graph. */
export interface Directory {
  getUser(id: UserId): Promise<DirectoryUser | undefined>;
  /** By exact UPN or mail, then by display-name prefix/contains; at most `limit` results. */
  findUsers(query: string, limit?: number): Promise<DirectoryUser[]>;
  /** The manager at `level` (1 = direct manager, 2 = manager's manager), if any. */
  getManager(userId: UserId, level: 1 | 2): Promise<DirectoryUser | undefined>;
  getDirectReports(userId: UserId): Promise<DirectoryUser[]>;
  getGroup(id: GroupId): Promise<DirectoryGroup | undefined>;
  getGroupMemberIds(groupId: GroupId): Promise<UserId[]>;
  /** Transitive group memberships of the user. */
  getUserGroupIds(userId: UserId): Promise<GroupId[]>;
  /** Every user, for auto-assignment rules and reviews. */
  listUsers(): Promise<DirectoryUser[]>;
  /** The user's sponsors in Entra (`/users/{id}/sponsors`); directories without sponsors omit it. */
  getSponsors?(userId: UserId): Promise<UserId[]>;
}
