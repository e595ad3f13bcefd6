import type { DirectoryGroup, DirectoryUser, GroupId, UserId } from "../../../../src/domain/model";
import type { Directory } from "../../../../src/ports/directory";

/** A directory held in maps: users (with managerId) and groups with member ids. */
export class MapDirectory implements Directory {
  readonly users = new Map<UserId, DirectoryUser>();
  readonly groups = new Map<GroupId, { group: DirectoryGroup; members: UserId[] }>();

  addUser(user: DirectoryUser): this {
    this.users.set(user.id, user);
    return this;
  }

  addGroup(id: GroupId, displayName: string, members: UserId[]): this {
    this.groups.set(id, { group: { id, displayName }, members });
    return this;
  }

  async getUser(id: UserId) {
    return this.users.get(id);
  }
  async findUsers(query: string, limit = 10) {
    const q = query.toLowerCase();
    return [...this.users.values()].filter((u) => u.displayName.toLowerCase().includes(q)).slice(0, limit);
  }
  async getManager(userId: UserId, level: 1 | 2) {
    let current = this.users.get(userId);
    for (let i = 0; i < level && current; i += 1)
      current = current.managerId ? this.users.get(current.managerId) : undefined;
    return current;
  }
  async getDirectReports(userId: UserId) {
    return [...this.users.values()].filter((u) => u.managerId === userId);
  }
  async getGroup(id: GroupId) {
    return this.groups.get(id)?.group;
  }
  async getGroupMemberIds(groupId: GroupId) {
    return [...(this.groups.get(groupId)?.members ?? [])];
  }
  async getUserGroupIds(userId: UserId) {
    return [...this.groups.entries()].filter(([, g]) => g.members.includes(userId)).map(([id]) => id);
  }
  async listUsers() {
    return [...this.users.values()];
  }
}
