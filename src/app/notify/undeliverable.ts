import { catalogOwnersOf } from "../../domain/assignment/catalog-owners";
import type { DomainEvent } from "../../domain/model";
import type { Logger } from "../../ports/logger";
import type { NotificationViews } from "../../ports/notification-views";
import type { AssignmentStore, AuditLog, RequestStore, ReviewStore } from "../../ports/stores";
import { type ViewSources, loadViewContext } from "../queries/view-context";
import type { Dispatch, Undeliverable } from "./dispatch";
import type { UnreachableApprover, UnreachableApprovers } from "../escalate-unreachable";
import type { DeliveryRecord } from "../../ports/deliveries";
import type { EffectBatch } from "../../ports/events";
import type { UnreachableTold } from "./unreachable-told";

export interface UndeliverableOptions {
  sources: ViewSources & { requests: RequestStore; assignments: AssignmentStore; reviews: ReviewStore };
  views: NotificationViews;
  audit: AuditLog;
  logger: Logger;
  /** Approval cards refused for good go here: the stage's fallback approvers may step in. */
  unreachableApprovers?: UnreachableApprovers;
  /** Who was told, and when, that a person cannot be reached. */
  told: UnreachableTold;
}

const reasonOf = (status: number) =>
  status === 403 ? "the app is not installed for them" : "the conversation is gone";

/** A batch's refusals, and where the notices about them go. */
export interface BatchRefusals {
  /** Messages this run of the batch had refused. */
  refused: Undeliverable[];
  /** Refusals an earlier run of the batch logged (it may have died before acting on them). */
  earlier: Undeliverable[];
  events: DomainEvent[];
  /** The journaled batch whose sends were refused: its audit rows take their ids and time from it. */
  batch?: Pick<EffectBatch, "id" | "at">;
  /** A dispatch of the same batch (made when there is something to tell): its notices are logged with it, so a run again sends none twice. */
  notices: () => Dispatch;
}

/**
 * Messages refused for good (403: the app is not installed for the person; 404: the chat is gone)
 * are audited with whom they were for, and the catalog owners of the package are told, so someone
 * can ask the person to add the app (once a day, however many cards were refused). The delivery log
 * keeps them from being tried again. True when a notice failed: the batch must run again.
 */
export async function reportUndeliverable(
  options: UndeliverableOptions,
  { refused, earlier, events, batch, notices: dispatchNotices }: BatchRefusals,
): Promise<boolean> {
  // First the fallback approvers (journaled and saved), while the batch's item still holds: a
  // crash before they are saved runs the batch, and so this, again.
  const approvals = approvalRefusals([...earlier, ...refused], events);
  if (approvals.length > 0 && options.unreachableApprovers) await options.unreachableApprovers(approvals);
  // An earlier run's refusals are audited and told again too: it may have died between logging one
  // and its audit row or its notices. Audit rows take id and time from the batch, and notices are
  // logged with it, so what is already written stays one.
  const all = batch ? [...earlier, ...refused] : refused;
  if (all.length === 0) return false;
  const at = options.sources.clock.now().toISOString();
  await options.audit.append(
    all.map((u, i) => ({
      // From the batch, so a run of it again (its refusal's log row failed) keeps one row per
      // refusal; without one, from the time and the subject, so refusals of side-by-side batches in
      // the same millisecond stay apart.
      id: batch
        ? `und-${batch.id}-${u.eventIndex}-${u.to}`
        : `und-${at}-${subjectOf(events[u.eventIndex])}-${i}-${u.to}`,
      at: batch?.at ?? at,
      actor: "system" as const,
      action: "notification.undeliverable" as const,
      subject: subjectOf(events[u.eventIndex]),
      source: "notifications",
      reason: reasonOf(u.status),
      targetUserId: u.to,
      details: { status: String(u.status), event: events[u.eventIndex]?.type ?? "" },
    })),
  );
  const { logger, told } = options;
  const notices = dispatchNotices();
  const claimed: Array<{ personId: string; keys: string[] }> = [];
  for (const u of all) {
    const event = events[u.eventIndex];
    const packageId = await packageOf(options, event);
    if (!packageId) continue;
    const ctx = await loadViewContext(options.sources, [u.to]);
    // Who hears of it, keyed by what the notice is about: once a day each (`UnreachableTold`).
    const whom = new Map<string, string>();
    for (const owner of catalogOwnersOf(ctx.index, packageId)) whom.set(`owner|${packageId}|${owner}`, owner);
    const requestId = event && "requestId" in event ? event.requestId : "";
    for (const requester of await requesterOf(options, event))
      whom.set(`requester|${requestId}|${requester}`, requester);
    for (const [key, person] of whom) if (person === u.to) whom.delete(key);
    const keys = await told.claim(u.to, [...whom.keys()]);
    notices.forEvent(u.eventIndex);
    for (const key of keys)
      notices.sendAboutUnreachable(
        u.to,
        whom.get(key)!,
        options.views.undeliverable(ctx, u.to, packageId, reasonOf(u.status)),
      );
    claimed.push({ personId: u.to, keys });
  }
  const failed = await notices.settle();
  for (const { personId, keys } of claimed) {
    if (failed) told.untold(personId, keys);
    // The notices are out: a register row that failed only means they may be told again.
    else
      await told
        .told(personId, keys, at)
        .catch((error: unknown) => logger.warn({ err: error, personId }, "who was told not recorded"));
  }
  return failed;
}

/**
 * The requester of the request an event is about: an approver who cannot be reached holds up their
 * request, so they hear who it is (and can ask them to add the app), as the catalog owners do.
 */
async function requesterOf(options: UndeliverableOptions, event: DomainEvent | undefined): Promise<string[]> {
  if (!event || !("requestId" in event)) return [];
  const requesterId = (await options.sources.requests.get(event.requestId))?.value.requesterId;
  return requesterId && requesterId !== "system" ? [requesterId] : [];
}

/** The package an event is about (its request, assignment or review). */
async function packageOf(options: UndeliverableOptions, event: DomainEvent | undefined) {
  const { sources } = options;
  if (!event) return undefined;
  if ("requestId" in event) return (await sources.requests.get(event.requestId))?.value.packageId;
  if ("assignmentId" in event) return (await sources.assignments.get(event.assignmentId))?.value.packageId;
  // The header alone (no reviewer's items): a large review is not read whole for its package.
  if ("reviewId" in event)
    return (await sources.reviews.getForReviewers(event.reviewId, []))?.value.packageId;
  return undefined;
}

/** The audit subject of the entity an event is about. */
function subjectOf(event: DomainEvent | undefined): string {
  if (!event) return "notification";
  if ("requestId" in event) return `request:${event.requestId}`;
  if ("assignmentId" in event) return `assignment:${event.assignmentId}`;
  if ("reviewId" in event) return `review:${event.reviewId}`;
  return "notification";
}

/** The approval cards among the refused messages: for which request and stage, to whom. */
export function approvalRefusals(refused: Undeliverable[], events: DomainEvent[]): UnreachableApprover[] {
  return refused.flatMap((u): UnreachableApprover[] => {
    const event = events[u.eventIndex];
    switch (event?.type) {
      case "StageStarted":
      case "StageEscalated":
      case "ApproversReminded":
      case "FallbackApproversAdded":
        return [{ requestId: event.requestId, stage: event.stage, userId: u.to }];
      case "ApprovalsDelegated":
        return event.requestIds.map((requestId) => ({ requestId, userId: u.to }));
      default:
        return [];
    }
  });
}

/** Messages to people a batch's delivery log says were refused for good (`<event>|user|<id>` keys). */
export function loggedRefusals(records: DeliveryRecord[]): Undeliverable[] {
  return records.flatMap((r) => {
    const [index, kind, ...to] = r.key.split("|");
    if (r.status !== "undeliverable" || kind !== "user" || to.length === 0) return [];
    const status = r.reason?.includes("not installed") ? 403 : 404;
    return [{ to: to.join("|"), status, eventIndex: Number(index) }];
  });
}
