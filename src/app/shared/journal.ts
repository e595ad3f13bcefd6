import type { AccessRequest, AccessReview, Assignment, AuditEntry, DomainEvent } from "../../domain/model";
import type { EffectBatch, JournalSubject } from "../../ports/events";
import { addMinutes } from "../../domain/time";
import type { DueItem } from "../../ports/stores";
import type { AppDeps } from "../deps";
import { nowIso } from "./context";

export type { EffectBatch, JournalSubject };

/** How long the process that saved a transition has to finish its effects before a sweep does. */
export const EFFECTS_GRACE_MINUTES = 2;

/** Batches a saved entity remembers: enough for every batch that can still be due. */
const REMEMBERED_BATCHES = 8;

type Journaled = AccessRequest | Assignment | AccessReview;

/** Which aggregate a saved state is (requests have stages, reviews items, assignments a request). */
export function subjectOf(next: unknown): JournalSubject | undefined {
  if (typeof next !== "object" || next === null || typeof (next as { id?: unknown }).id !== "string") return;
  const id = (next as { id: string }).id;
  if ("stages" in next && "requesterId" in next) return { kind: "request", id };
  if ("items" in next && "period" in next) return { kind: "review", id };
  if ("requestId" in next && "packageId" in next) return { kind: "assignment", id };
  return undefined;
}

/** An audit row a step promises besides its events' rows; the batch gives it its id and time. */
export type JournaledRow = Omit<AuditEntry, "id" | "at">;

/**
 * A new batch for the events of a step about to be saved, and its due item. `rows` are the step's
 * audit rows that no event carries: they are journaled too, with ids that follow the events' rows
 * (`<batch id>-<i>`) and the batch's time, so writing them again keeps one copy.
 */
export function newBatch(
  deps: AppDeps,
  subject: JournalSubject,
  events: DomainEvent[],
  rows: JournaledRow[] = [],
): EffectBatch {
  const id = deps.ids.next("eff");
  const at = nowIso(deps);
  const extra: AuditEntry[] = rows.map((row, k) => ({ id: `${id}-${events.length + k}`, at, ...row }));
  const payload = JSON.stringify({ at, subject, events, ...(extra.length > 0 ? { rows: extra } : {}) });
  const item: DueItem = {
    kind: "effects",
    dueAt: addMinutes(at, EFFECTS_GRACE_MINUTES),
    subjectId: `${subject.kind}:${subject.id}`,
    discriminator: id,
    payload,
  };
  return { id, at, subject, events, ...(extra.length > 0 ? { rows: extra } : {}), item };
}

/** The batch a due `effects` item carries. */
export function batchOf(item: DueItem): EffectBatch {
  const parsed = JSON.parse(item.payload ?? "{}") as Partial<EffectBatch>;
  if (!parsed.subject || !Array.isArray(parsed.events) || typeof parsed.at !== "string")
    throw new Error(`effects item ${item.discriminator} has no readable payload`);
  const rows = Array.isArray(parsed.rows) ? { rows: parsed.rows } : {};
  return {
    id: item.discriminator,
    at: parsed.at,
    subject: parsed.subject,
    events: parsed.events,
    ...rows,
    item,
  };
}

/** The state to save, naming the batch (the last few are kept). */
export function withBatch<T>(next: T, batch: EffectBatch): T {
  const ids = (next as Journaled).effectBatchIds ?? [];
  return { ...next, effectBatchIds: [...ids, batch.id].slice(-REMEMBERED_BATCHES) };
}

/** Whom and what a saved subject is about, for the audit rows of its batch. */
export interface SavedSubject {
  targetUserId?: string;
  /** Absent for a subject of no package (a delegation). */
  packageId?: string;
}

/** The subject as saved, if its saved state names the batch (the transition happened), else undefined. */
export async function savedSubject(deps: AppDeps, batch: EffectBatch): Promise<SavedSubject | undefined> {
  const { kind, id } = batch.subject;
  // A guest step is no saved transition: its own due item (`guestStep`) carries it through.
  if (kind === "guest") return undefined;
  if (kind === "request") {
    const r = (await deps.requests.get(id))?.value;
    return r?.effectBatchIds?.includes(batch.id)
      ? { targetUserId: r.targetUserId, packageId: r.packageId }
      : undefined;
  }
  if (kind === "assignment") {
    const a = (await deps.assignments.get(id))?.value;
    return a?.effectBatchIds?.includes(batch.id)
      ? { targetUserId: a.userId, packageId: a.packageId }
      : undefined;
  }
  if (kind === "delegation") {
    // The id is the approver's: their delegation as saved names the batch, or it was never saved.
    const d = await deps.delegations?.get(id);
    return d?.effectBatchId === batch.id ? { targetUserId: d.delegateId } : undefined;
  }
  // The header names the batches: no item of a large review is read.
  const review = (await deps.reviews.getForReviewers(id, []))?.value;
  return review?.effectBatchIds?.includes(batch.id) ? { packageId: review.packageId } : undefined;
}
