import type { DirectoryGroup, DirectoryUser, GroupId, ResourceRole, UserId } from "../../domain/model";
import type { Directory } from "../../ports/directory";
import {
  appRoleKey,
  groupMemberKey,
  groupOwnerKey,
  type MembershipStore,
  type ResourceKey,
} from "./membership-store";
import type { Organization, ServicePrincipal } from "./organization";

/** The resource a role is held through: Teams and sites through their group. */
export function resourceKeyOf(role: ResourceRole): ResourceKey {
  switch (role.kind) {
    case "groupOwner":
      return groupOwnerKey(role.groupId);
    case "appRole":
      return appRoleKey(role.servicePrincipalId, role.appRoleId);
    default:
      return groupMemberKey(role.groupId);
  }
}

/**
 * The demo directory: people and groups from the organisation file; who holds what is the file's
 * initial memberships with the changes provisioning made (kept in a MembershipStore) on top.
 */
export class LocalDirectory implements Directory {
  private readonly users: Map<UserId, DirectoryUser>;
  private readonly groups: Map<GroupId, Organization["groups"][number]>;
  private readonly initialByResource = new Map<ResourceKey, Set<UserId>>();
  private readonly initialByUser = new Map<UserId, Set<ResourceKey>>();
  /** child group id -> groups it is nested in. */
  private readonly parents = new Map<GroupId, GroupId[]>();

  constructor(
    readonly organization: Organization,
    private readonly store: MembershipStore,
  ) {
    this.users = new Map(organization.users.map((u) => [u.id, u]));
    this.groups = new Map(organization.groups.map((g) => [g.id, g]));
    for (const m of organization.memberships) {
      add(this.initialByResource, m.resource, m.userId);
      add(this.initialByUser, m.userId, m.resource);
    }
    for (const g of organization.groups) {
      for (const child of g.memberGroupIds)
        this.parents.set(child, [...(this.parents.get(child) ?? []), g.id]);
    }
  }

  async getUser(id: UserId): Promise<DirectoryUser | undefined> {
    return this.users.get(id);
  }

  async findUsers(query: string, limit = 10): Promise<DirectoryUser[]> {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const all = [...this.users.values()];
    const exact = all.filter((u) => u.userPrincipalName.toLowerCase() === q || u.mail?.toLowerCase() === q);
    const prefix = all.filter(
      (u) => u.displayName.toLowerCase().startsWith(q) || wordStarts(u.displayName, q),
    );
    const contains = all.filter((u) =>
      [u.displayName, u.userPrincipalName, u.mail ?? ""].some((s) => s.toLowerCase().includes(q)),
    );
    return [...new Set([...exact, ...prefix, ...contains])].slice(0, limit);
  }

  async getManager(userId: UserId, level: 1 | 2): Promise<DirectoryUser | undefined> {
    let current = this.users.get(userId);
    for (let i = 0; i < level && current; i++) {
      current = current.managerId ? this.users.get(current.managerId) : undefined;
    }
    return current;
  }

  async getDirectReports(userId: UserId): Promise<DirectoryUser[]> {
    return [...this.users.values()].filter((u) => u.managerId === userId);
  }

  async getGroup(id: GroupId): Promise<DirectoryGroup | undefined> {
    const g = this.groups.get(id);
    return (
      g && { id: g.id, displayName: g.displayName, ...(g.description ? { description: g.description } : {}) }
    );
  }

  /** Transitive: members of nested groups count as members. */
  async getGroupMemberIds(groupId: GroupId): Promise<UserId[]> {
    const out = new Set<UserId>();
    const seen = new Set<GroupId>();
    const stack = [groupId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const u of await this.holderIds(groupMemberKey(id))) out.add(u);
      stack.push(...(this.groups.get(id)?.memberGroupIds ?? []));
    }
    return [...out];
  }

  async getUserGroupIds(userId: UserId): Promise<GroupId[]> {
    const direct = [...(await this.heldBy(userId))]
      .map((r) => /^group:(.+):member$/.exec(r)?.[1])
      .filter((g): g is string => g !== undefined);
    const out = new Set<GroupId>();
    const stack = [...direct];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      stack.push(...(this.parents.get(id) ?? []));
    }
    return [...out];
  }

  async listUsers(): Promise<DirectoryUser[]> {
    return [...this.users.values()];
  }

  /** Local guest accounts (src/adapters/local-directory/local-guest-accounts.ts): in memory only. */
  putUser(user: DirectoryUser): void {
    this.users.set(user.id, user);
  }

  deleteUser(id: UserId): boolean {
    return this.users.delete(id);
  }

  /** Who directly holds a resource now (group members are direct, not transitive). */
  async holderIds(resource: ResourceKey): Promise<UserId[]> {
    const users = new Set(this.initialByResource.get(resource) ?? []);
    for (const [u, present] of await this.store.listByResource(resource)) {
      if (present) users.add(u);
      else users.delete(u);
    }
    return [...users];
  }

  /** Every resource the user directly holds now. */
  async heldBy(userId: UserId): Promise<Set<ResourceKey>> {
    const held = new Set(this.initialByUser.get(userId) ?? []);
    for (const [r, present] of await this.store.listByUser(userId)) {
      if (present) held.add(r);
      else held.delete(r);
    }
    return held;
  }

  async holds(userId: UserId, resource: ResourceKey): Promise<boolean> {
    const recorded = await this.store.get(resource, userId);
    return recorded ?? this.initialByResource.get(resource)?.has(userId) ?? false;
  }

  /** Provisioning's way in: records a grant (present) or a revocation. */
  async setHolding(resource: ResourceKey, userId: UserId, present: boolean): Promise<void> {
    await this.store.set(resource, userId, present);
  }

  hasGroup(id: GroupId): boolean {
    return this.groups.has(id);
  }

  getServicePrincipal(id: string): ServicePrincipal | undefined {
    return this.organization.servicePrincipals.find((sp) => sp.id === id);
  }

  listServicePrincipals(): ServicePrincipal[] {
    return this.organization.servicePrincipals;
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function wordStarts(name: string, q: string): boolean {
  return name
    .toLowerCase()
    .split(/\s+/)
    .some((w) => w.startsWith(q));
}
