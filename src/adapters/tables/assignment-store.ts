import type { TableClient } from "@azure/data-tables";
import type { Assignment, UserId } from "../../domain/model";
import type { AssignmentStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { type AfterAnswers, AggregateTable, type IndexKey } from "./aggregate-table";
import { encodeKey, invertedTime, key } from "./keys";

/** Assignments table: entity `e|<id>`; `u|<user>` and `p|<package>` rows, newest first. */
export function assignmentIndexKeys(assignment: Assignment): IndexKey[] {
  const rowKey = `${invertedTime(assignment.createdAt)}|${encodeKey(assignment.id)}`;
  return [
    { partitionKey: key("u", assignment.userId), rowKey },
    { partitionKey: key("p", assignment.packageId), rowKey },
  ];
}

export class TableAssignmentStore implements AssignmentStore {
  private readonly table: AggregateTable<Assignment>;

  constructor(client: TableClient, options: AfterAnswers = {}) {
    this.table = new AggregateTable(client, "assignment", assignmentIndexKeys, options);
  }

  get(id: string): Promise<Versioned<Assignment> | undefined> {
    return this.table.get(id);
  }

  create(assignment: Assignment): Promise<string> {
    return this.table.create(assignment);
  }

  prepare(assignment: Assignment): Promise<void> {
    return this.table.prepare(assignment);
  }

  abandon(assignment: Assignment): Promise<void> {
    return this.table.abandon(assignment);
  }

  update(assignment: Assignment, etag: string, after?: Promise<void>): Promise<string> {
    return this.table.update(assignment, etag, undefined, after);
  }

  listForUser(userId: UserId): Promise<Assignment[]> {
    return this.table.list(key("u", userId));
  }

  listForPackage(packageId: string): Promise<Assignment[]> {
    return this.table.list(key("p", packageId));
  }
}
