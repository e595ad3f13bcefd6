import type { Assignment, UserId } from "../../domain/model";
import type { AssignmentStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { newestFirst } from "../shared/selectors";
import { VersionedMap } from "./versioned-map";

/** Assignments in memory; lists hold every state (active and ended), newest first. */
export class MemoryAssignmentStore implements AssignmentStore {
  private readonly rows = new VersionedMap<Assignment>("assignment");

  async get(id: string): Promise<Versioned<Assignment> | undefined> {
    return this.rows.get(id);
  }

  async create(assignment: Assignment): Promise<string> {
    return this.rows.create(assignment.id, assignment);
  }

  /** Nothing to write ahead: the memory store keeps no index rows. */
  async prepare(): Promise<void> {}

  async abandon(): Promise<void> {}

  async update(assignment: Assignment, etag: string, after?: Promise<void>): Promise<string> {
    await after;
    return this.rows.update(assignment.id, assignment, etag);
  }

  async listForUser(userId: UserId): Promise<Assignment[]> {
    return this.rows
      .values()
      .filter((a) => a.userId === userId)
      .sort(newestFirst);
  }

  async listForPackage(packageId: string): Promise<Assignment[]> {
    return this.rows
      .values()
      .filter((a) => a.packageId === packageId)
      .sort(newestFirst);
  }
}
