import type { UserId } from "../../domain/model";

/**
 * A resource a user can hold in the local directory:
 * "group:<id>:member", "group:<id>:owner" or "app:<servicePrincipalId>:<appRoleId>".
 * Teams and SharePoint sites are held through their groups, as in Microsoft 365.
 */
export type ResourceKey = string;

export const groupMemberKey = (groupId: string): ResourceKey => `group:${groupId}:member`;
export const groupOwnerKey = (groupId: string): ResourceKey => `group:${groupId}:owner`;
export const appRoleKey = (servicePrincipalId: string, appRoleId: string): ResourceKey =>
  `app:${servicePrincipalId}:${appRoleId}`;

/** One user holding one resource. */
export interface Membership {
  resource: ResourceKey;
  userId: UserId;
}

/**
 * Changes made by provisioning on top of the organisation file's initial memberships. A row says
 * "present" or "absent", so revoking an initial membership is remembered too.
 */
export interface MembershipStore {
  /** Records that the user now holds (present = true) or no longer holds the resource. */
  set(resource: ResourceKey, userId: UserId, present: boolean): Promise<void>;
  /** The recorded state, or undefined when provisioning never touched this pair. */
  get(resource: ResourceKey, userId: UserId): Promise<boolean | undefined>;
  /** Recorded states for one resource, by user id. */
  listByResource(resource: ResourceKey): Promise<Map<UserId, boolean>>;
  /** Recorded states for one user, by resource. */
  listByUser(userId: UserId): Promise<Map<ResourceKey, boolean>>;
}

/** For tests and the in-process demo: forgets everything on restart. */
export class MemoryMembershipStore implements MembershipStore {
  private readonly rows = new Map<ResourceKey, Map<UserId, boolean>>();

  async set(resource: ResourceKey, userId: UserId, present: boolean): Promise<void> {
    let users = this.rows.get(resource);
    if (!users) this.rows.set(resource, (users = new Map()));
    users.set(userId, present);
  }

  async get(resource: ResourceKey, userId: UserId): Promise<boolean | undefined> {
    return this.rows.get(resource)?.get(userId);
  }

  async listByResource(resource: ResourceKey): Promise<Map<UserId, boolean>> {
    return new Map(this.rows.get(resource) ?? []);
  }

  async listByUser(userId: UserId): Promise<Map<ResourceKey, boolean>> {
    const out = new Map<ResourceKey, boolean>();
    for (const [resource, users] of this.rows) {
      const state = users.get(userId);
      if (state !== undefined) out.set(resource, state);
    }
    return out;
  }
}
