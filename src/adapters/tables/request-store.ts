import { createHash } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { OPEN_REQUEST_STATES, type AccessRequest, type UserId } from "../../domain/model";
import type { RequestStore } from "../../ports/stores";
import type { Versioned } from "../../ports/versioned";
import { currentApprovers, oldestFirst, requestParticipants } from "../shared/selectors";
import { type AfterAnswers, AggregateTable, NOTE_ROW_PREFIX, type IndexKey } from "./aggregate-table";
import { PartitionWriter } from "./batches";
import { canonicalTime, encodeKey, invertedTime, key } from "./keys";

/**
 * Requests table: entity `e|<id>`; `u|<user>` rows (inverted creation time) for requester and
 * target, newest first; `o|<package>` rows (creation time) while the request is open, oldest first.
 * The current stage's approvers (creation time, oldest first): a lone approver's row in `a|<user>`;
 * a stage of several approvers (a team) one row in their group's partition `g|<group>`, and each
 * member's `a|<user>` partition holds a note `~g|<group>` naming it. A team's stage then costs one
 * row to add and one to drop, not one per member; the notes are written once and never dropped.
 */
export function requestIndexKeys(request: AccessRequest): IndexKey[] {
  const newest = `${invertedTime(request.createdAt)}|${encodeKey(request.id)}`;
  const approvers = currentApprovers(request);
  return [
    ...requestParticipants(request).map((u) => ({ partitionKey: key("u", u), rowKey: newest })),
    ...(approvers.length === 1
      ? [{ partitionKey: key("a", approvers[0]!), rowKey: oldestRow(request) }]
      : []),
    ...(approvers.length > 1
      ? [{ partitionKey: key("g", approverGroup(approvers)), rowKey: oldestRow(request) }]
      : []),
    ...(OPEN_REQUEST_STATES.includes(request.state)
      ? [{ partitionKey: key("o", request.packageId), rowKey: oldestRow(request) }]
      : []),
  ];
}

function oldestRow(request: AccessRequest): string {
  return `${canonicalTime(request.createdAt)}|${encodeKey(request.id)}`;
}

/** A set of approvers' name: the same people in any order give the same group. */
export function approverGroup(approvers: UserId[]): string {
  const members = [...new Set(approvers)].sort().join("\n");
  return createHash("sha256").update(members).digest("hex").slice(0, 32);
}

/** The notes that make a group's requests reach its members' lists. */
export function groupNotes(request: AccessRequest): (IndexKey & { group: string })[] {
  const approvers = currentApprovers(request);
  if (approvers.length < 2) return [];
  const group = approverGroup(approvers);
  return approvers.map((u) => ({ partitionKey: key("a", u), rowKey: groupNote(group), group }));
}

const groupNote = (group: string) => `${NOTE_ROW_PREFIX}g|${group}`;

/**
 * The layout before approver groups gave each approver of a team's stage a row of their own in
 * `a|<user>`; such a row lists the request while that person is still one of its approvers.
 */
export function listedAsTeamMember(request: AccessRequest, row: IndexKey): boolean {
  const approvers = currentApprovers(request);
  return (
    approvers.length > 1 &&
    row.rowKey === oldestRow(request) &&
    approvers.some((u) => key("a", u) === row.partitionKey)
  );
}

const KNOWN_MEMBERS = 10_000;

export class TableRequestStore implements RequestStore {
  private readonly table: AggregateTable<AccessRequest>;
  private readonly notes: PartitionWriter;
  /** Groups by member partition, from notes this process wrote or read: notes are never deleted. */
  private readonly groupsKnown = new Map<string, Set<string>>();

  constructor(client: TableClient, options: AfterAnswers = {}) {
    this.table = new AggregateTable(client, "request", requestIndexKeys, {
      ...options,
      listedBefore: listedAsTeamMember,
      remembersVersions: true,
    });
    this.notes = new PartitionWriter(client);
  }

  get(id: string): Promise<Versioned<AccessRequest> | undefined> {
    return this.table.get(id);
  }

  remembered(id: string): Versioned<AccessRequest> | undefined {
    return this.table.remembered(id);
  }

  async prepare(request: AccessRequest): Promise<void> {
    await this.writeGroupNotes(request);
    await this.table.prepare(request);
  }

  abandon(request: AccessRequest): Promise<void> {
    return this.table.abandon(request);
  }

  async create(request: AccessRequest): Promise<string> {
    await this.writeGroupNotes(request);
    return this.table.create(request);
  }

  async update(request: AccessRequest, etag: string, after?: Promise<void>): Promise<string> {
    await this.writeGroupNotes(request);
    return this.table.update(request, etag, undefined, after);
  }

  listForUser(userId: UserId, limit?: number): Promise<AccessRequest[]> {
    return this.table.list(key("u", userId), limit);
  }

  /**
   * The person's own rows and the partitions of the groups their notes name, oldest first. Groups
   * this process already knows of are read beside the person's partition, not after it.
   */
  async listPendingForApprover(userId: UserId): Promise<AccessRequest[]> {
    const reading = new Map<string, Promise<AccessRequest[]>>();
    const readGroup = (group: string) => {
      if (!reading.has(group)) reading.set(group, this.table.list(key("g", group)));
    };
    const partition = key("a", userId);
    for (const group of this.groupsKnown.get(partition) ?? []) readGroup(group);
    const own = await this.table.list(partition, undefined, (note) => {
      if (typeof note.group !== "string") return;
      this.know(partition, note.group);
      readGroup(note.group);
    });
    const grouped = await Promise.all(reading.values());
    const byId = new Map<string, AccessRequest>();
    for (const request of [...own, ...grouped.flat()])
      if (currentApprovers(request).includes(userId)) byId.set(request.id, request);
    return [...byId.values()].sort(oldestFirst);
  }

  listOpenForPackage(packageId: string): Promise<AccessRequest[]> {
    return this.table.list(key("o", packageId));
  }

  /** Before the group's row (and so before the entity naming it): a listed request is always reachable. */
  private async writeGroupNotes(request: AccessRequest): Promise<void> {
    const missing = groupNotes(request).filter((n) => !this.groupsKnown.get(n.partitionKey)?.has(n.group));
    if (missing.length === 0) return;
    await this.notes.upsertAll(
      missing.map((n) => ({ ...n })),
      "Replace",
    );
    for (const note of missing) this.know(note.partitionKey, note.group);
  }

  private know(partition: string, group: string): void {
    if (this.groupsKnown.size >= KNOWN_MEMBERS) this.groupsKnown.clear();
    const groups = this.groupsKnown.get(partition) ?? new Set<string>();
    groups.add(group);
    this.groupsKnown.set(partition, groups);
  }
}
