import { OPEN_REQUEST_STATES, type AccessRequest, type UserId } from "../../domain/model";
import type { RequestStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { currentApprovers, newestFirst, oldestFirst, requestParticipants } from "../shared/selectors";
import { VersionedMap } from "./versioned-map";

/** Requests in memory; the "indexes" are filters over every request, fine at test sizes. */
export class MemoryRequestStore implements RequestStore {
  private readonly rows = new VersionedMap<AccessRequest>("request");

  async get(id: string): Promise<Versioned<AccessRequest> | undefined> {
    return this.rows.get(id);
  }

  /** One process holds the only copy: what it remembers is what is stored. */
  remembered(id: string): Versioned<AccessRequest> | undefined {
    return this.rows.get(id);
  }

  /** Nothing to write ahead: the memory store keeps no index rows. */
  async prepare(): Promise<void> {}

  async abandon(): Promise<void> {}

  async create(request: AccessRequest): Promise<string> {
    return this.rows.create(request.id, request);
  }

  async update(request: AccessRequest, etag: string, after?: Promise<void>): Promise<string> {
    await after;
    return this.rows.update(request.id, request, etag);
  }

  async listForUser(userId: UserId, limit?: number): Promise<AccessRequest[]> {
    const mine = this.rows
      .values()
      .filter((r) => requestParticipants(r).includes(userId))
      .sort(newestFirst);
    return limit === undefined ? mine : mine.slice(0, limit);
  }

  /** Oldest first. */
  async listPendingForApprover(userId: UserId): Promise<AccessRequest[]> {
    return this.rows
      .values()
      .filter((r) => currentApprovers(r).includes(userId))
      .sort(oldestFirst);
  }

  async listOpenForPackage(packageId: string): Promise<AccessRequest[]> {
    return this.rows
      .values()
      .filter((r) => r.packageId === packageId && OPEN_REQUEST_STATES.includes(r.state))
      .sort(oldestFirst);
  }
}
