import type { TableClient } from "@azure/data-tables";
import { OPEN_REQUEST_STATES, type AccessRequest, type UserId } from "../../domain/model";
import type { RequestStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { currentApprovers, requestParticipants } from "../shared/selectors";
import { AggregateTable, type IndexKey } from "./aggregate-table";
import { canonicalTime, encodeKey, invertedTime, key } from "./keys";

/**
 * Requests table: entity `e|<id>`; `u|<user>` rows (inverted creation time) for requester and
 * target, newest first; `a|<user>` rows (creation time) for the current stage's approvers, oldest first;
 * `o|<package>` rows (creation time) while the request is open, oldest first.
 */
export function requestIndexKeys(request: AccessRequest): IndexKey[] {
  const newest = `${invertedTime(request.createdAt)}|${encodeKey(request.id)}`;
  const oldest = `${canonicalTime(request.createdAt)}|${encodeKey(request.id)}`;
  return [
    ...requestParticipants(request).map((u) => ({ partitionKey: key("u", u), rowKey: newest })),
    ...currentApprovers(request).map((u) => ({ partitionKey: key("a", u), rowKey: oldest })),
    ...(OPEN_REQUEST_STATES.includes(request.state)
      ? [{ partitionKey: key("o", request.packageId), rowKey: oldest }]
      : []),
  ];
}

export class TableRequestStore implements RequestStore {
  private readonly table: AggregateTable<AccessRequest>;

  constructor(client: TableClient) {
    this.table = new AggregateTable(client, "request", requestIndexKeys);
  }

  get(id: string): Promise<Versioned<AccessRequest> | undefined> {
    return this.table.get(id);
  }

  create(request: AccessRequest): Promise<string> {
    return this.table.create(request);
  }

  update(request: AccessRequest, etag: string): Promise<string> {
    return this.table.update(request, etag);
  }

  listForUser(userId: UserId, limit?: number): Promise<AccessRequest[]> {
    return this.table.list(key("u", userId), limit);
  }

  listPendingForApprover(userId: UserId): Promise<AccessRequest[]> {
    return this.table.list(key("a", userId));
  }

  listOpenForPackage(packageId: string): Promise<AccessRequest[]> {
    return this.table.list(key("o", packageId));
  }
}
