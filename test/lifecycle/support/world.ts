import type { FixedClock } from "../../../src/adapters/runtime/clock";
import { grantKey } from "../../../src/domain/assignment/revocation";
import type { DirectoryGroup, DirectoryUser, GroupId, ResourceRole, UserId } from "../../../src/domain/model";
import type { Directory } from "../../../src/ports/directory";
import type { ProvisioningOperation, ProvisioningOutcome, Provisioner } from "../../../src/ports/provisioner";
import type { Stores } from "../../../src/ports/stores";
import type { IdGenerator } from "../../../src/ports/runtime";
import { RecordingEvents } from "../../support/recording";
import { memoryStores } from "../../support/stores";
import { buildWorld, type World as BuiltWorld } from "../../support/world";

export { RecordingEvents };

/** A small directory the test edits directly: users, managers, groups. */
export class TestDirectory implements Directory {
  readonly users = new Map<UserId, DirectoryUser>();
  readonly groups = new Map<GroupId, UserId[]>();

  add(user: Partial<DirectoryUser> & { id: UserId }): DirectoryUser {
    const full: DirectoryUser = {
      displayName: user.id,
      userPrincipalName: `${user.id}@contoso.test`,
      userType: "Member",
      accountEnabled: true,
      ...user,
    };
    this.users.set(full.id, full);
    return full;
  }
  update(id: UserId, patch: Partial<DirectoryUser>): void {
    this.users.set(id, { ...this.users.get(id)!, ...patch });
  }
  async getUser(id: UserId) {
    return this.users.get(id);
  }
  async findUsers() {
    return [...this.users.values()];
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
  async getGroup(id: GroupId): Promise<DirectoryGroup | undefined> {
    return this.groups.has(id) ? { id, displayName: id } : undefined;
  }
  async getGroupMemberIds(groupId: GroupId) {
    return this.groups.get(groupId) ?? [];
  }
  async getUserGroupIds(userId: UserId) {
    return [...this.groups.entries()].filter(([, members]) => members.includes(userId)).map(([id]) => id);
  }
  async listUsers() {
    return [...this.users.values()];
  }
}

/** Grants as a set of "user|grant" keys; counts every operation. */
export class TestProvisioner implements Provisioner {
  readonly held = new Set<string>();
  readonly operations: ProvisioningOperation[] = [];
  async apply(ops: ProvisioningOperation[]): Promise<ProvisioningOutcome[]> {
    return ops.map((op) => {
      this.operations.push(op);
      const key = `${op.userId}|${grantKey(op.role)}`;
      const had = this.held.has(key);
      if (op.action === "grant") this.held.add(key);
      else this.held.delete(key);
      return { status: had === (op.action === "grant") ? "unchanged" : "done" };
    });
  }
  async holds(userId: UserId, role: ResourceRole) {
    return this.held.has(`${userId}|${grantKey(role)}`);
  }
  has(userId: UserId, role: ResourceRole): boolean {
    return this.held.has(`${userId}|${grantKey(role)}`);
  }
}

export type World = BuiltWorld<Stores, TestDirectory, TestProvisioner, FixedClock, RecordingEvents>;

export const T0 = "2026-11-02T09:00:00.000Z";

/**
 * Use-case dependencies over the given stores (memory by default) and a clock that stands still;
 * `shared` lets several worlds (instances) see one directory, provisioner and event log.
 */
export function createWorld(
  options: {
    stores?: Stores;
    start?: string;
    clock?: FixedClock;
    shared?: Omit<World, "deps" | "clock" | "stores">;
    /** Several instances on one storage need one id space, as random ids give in production. */
    ids?: IdGenerator;
  } = {},
): World {
  return buildWorld({
    ...(options.ids ? { ids: options.ids } : {}),
    stores: options.stores ?? memoryStores(),
    clock: options.clock,
    start: options.start ?? T0,
    directory: options.shared?.directory ?? new TestDirectory(),
    provisioner: options.shared?.provisioner ?? new TestProvisioner(),
    events: options.shared?.events ?? new RecordingEvents(),
  });
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
