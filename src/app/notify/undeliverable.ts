import { catalogOwnersOf } from "../../domain/assignment/catalog-owners";
import type { DomainEvent } from "../../domain/model";
import type { DeliveryLog } from "../../ports/deliveries";
import type { Logger } from "../../ports/logger";
import type { NotificationViews } from "../../ports/notification-views";
import type { Notifier } from "../../ports/notifier";
import type { AssignmentStore, AuditLog, RequestStore, ReviewStore } from "../../ports/stores";
import { type ViewSources, loadViewContext } from "../queries/view-context";
import { Dispatch, type Undeliverable } from "./dispatch";

export interface UndeliverableOptions {
  sources: ViewSources & { requests: RequestStore; assignments: AssignmentStore; reviews: ReviewStore };
  notifier: Notifier;
  views: NotificationViews;
  deliveries: DeliveryLog;
  audit: AuditLog;
  logger: Logger;
}

const reasonOf = (status: number) =>
  status === 403 ? "the app is not installed for them" : "the conversation is gone";

/**
 * Messages refused for good (403: the app is not installed for the person; 404: the chat is gone)
 * are audited with whom they were for, and the catalog owners of the package are told, so someone
 * can ask the person to add the app. The delivery log keeps them from being tried again.
 */
export async function reportUndeliverable(
  options: UndeliverableOptions,
  refused: Undeliverable[],
  events: DomainEvent[],
): Promise<void> {
  if (refused.length === 0) return;
  const at = options.sources.clock.now().toISOString();
  await options.audit.append(
    refused.map((u, i) => ({
      id: `und-${at}-${i}-${u.to}`,
      at,
      actor: "system" as const,
      action: "notification.undeliverable" as const,
      subject: subjectOf(events[u.eventIndex]),
      source: "notifications",
      reason: reasonOf(u.status),
      targetUserId: u.to,
      details: { status: String(u.status), event: events[u.eventIndex]?.type ?? "" },
    })),
  );
  const { notifier, deliveries, logger } = options;
  const owners = new Dispatch({ notifier, deliveries, logger, now: () => at, done: new Set() });
  for (const u of refused) {
    const packageId = await packageOf(options, events[u.eventIndex]);
    if (!packageId) continue;
    const ctx = await loadViewContext(options.sources, [u.to]);
    const told = new Set([
      ...catalogOwnersOf(ctx.index, packageId),
      ...(await requesterOf(options, events[u.eventIndex])),
    ]);
    for (const person of told) {
      if (person !== u.to)
        owners.send(person, options.views.undeliverable(ctx, u.to, packageId, reasonOf(u.status)));
    }
  }
  await owners.settle();
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
  if ("reviewId" in event) return (await sources.reviews.get(event.reviewId))?.value.packageId;
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
