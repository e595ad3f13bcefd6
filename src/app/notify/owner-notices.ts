import type { Assignment, DomainEvent, UserId } from "../../domain/model";
import { catalogOwnersOf } from "../../domain/assignment/catalog-owners";
import type { Logger } from "../../ports/logger";
import type { NotificationViews } from "../../ports/notification-views";
import type { OutgoingCard } from "../../ports/notifier";
import type { ViewContext } from "../../ports/read-models";
import type { AssignmentStore } from "../../ports/stores";
import { type ViewSources, loadViewContext } from "../queries/view-context";
import { subjects } from "./subjects";

export type OwnerEvent = Extract<
  DomainEvent,
  { type: "RemovalFailed" | "GrantsFailed" | "DriftFound" | "ExtensionFailed" }
>;

const OWNER_TYPES = new Set<string>(["RemovalFailed", "GrantsFailed", "DriftFound", "ExtensionFailed"]);

export const isOwnerEvent = (event: DomainEvent): event is OwnerEvent => OWNER_TYPES.has(event.type);

/** Where the notices of one batch go: a card to a person, or every remembered copy re-rendered. */
export interface Sends {
  send(userId: UserId, message: OutgoingCard, subject?: string): void;
  update(subject: string, message: OutgoingCard): void;
}

export interface OwnerNoticeOptions {
  sources: ViewSources & { assignments: AssignmentStore };
  views: NotificationViews;
  logger: Logger;
}

/**
 * What catalog owners are told when access went wrong and only they can fix it: revokes of ended
 * access that failed for good (Retry), grants that failed for good (Reprocess), resources whose
 * members differ from the assignments (drift). Each owner gets the card once; every copy is
 * re-rendered when the assignment moves on.
 */
export class OwnerNotices {
  constructor(private readonly options: OwnerNoticeOptions) {}

  async handle(event: OwnerEvent, d: Sends): Promise<void> {
    if (event.type === "DriftFound") return this.drift(event, d);
    if (event.type === "ExtensionFailed") return this.extensionFailed(event, d);
    const a = (await this.options.sources.assignments.get(event.assignmentId))?.value;
    if (!a) return;
    const ctx = await loadViewContext(this.options.sources, [a.userId]);
    const owners = catalogOwnersOf(ctx.index, a.packageId);
    if (owners.length === 0)
      this.options.logger.warn({ assignmentId: a.id, event: event.type }, "no catalog owner to tell");
    const [subject, message] =
      event.type === "RemovalFailed"
        ? [subjects.removal(a.id), this.options.views.removalProblem(ctx, a)]
        : [subjects.delivery(a.id), this.options.views.deliveryProblem(ctx, a)];
    d.update(subject, message);
    // After an owner's Retry the clicker sees the outcome on their card; the others' copies update.
    if (event.type === "RemovalFailed" && event.retriedBy) return;
    for (const owner of new Set(owners)) d.send(owner, message, subject);
  }

  /** The reconciliation sweep's findings on one catalog: a notice to each of its owners. */
  private async drift(event: Extract<OwnerEvent, { type: "DriftFound" }>, d: Sends): Promise<void> {
    const people = event.resources.flatMap((r) => [...r.outOfBand, ...r.removed, ...r.reapplied]);
    const ctx = await loadViewContext(this.options.sources, people);
    const owners = ctx.index.catalog(event.catalogId)?.owners ?? [];
    if (owners.length === 0)
      this.options.logger.warn({ catalogId: event.catalogId }, "no catalog owner to tell about drift");
    const message = this.options.views.drift(ctx, event.catalogId, event.resources);
    for (const owner of new Set(owners)) d.send(owner, message);
  }

  /** A custom extension's call failed for good: each owner of the catalog that declares it is told. */
  private async extensionFailed(event: Extract<OwnerEvent, { type: "ExtensionFailed" }>, d: Sends) {
    const ctx = await loadViewContext(this.options.sources, []);
    const owners = ctx.index.catalog(event.catalogId)?.owners ?? [];
    if (owners.length === 0)
      this.options.logger.warn(
        { catalogId: event.catalogId },
        "no catalog owner to tell about a failed extension",
      );
    const message = this.options.views.extensionFailed(ctx, event);
    for (const owner of new Set(owners)) d.send(owner, message);
  }

  /** The removal moved on (completed): every owner's copy shows it, without Retry. */
  removalChanged(a: Assignment, ctx: ViewContext, d: Sends): void {
    d.update(subjects.removal(a.id), this.options.views.removalProblem(ctx, a));
  }

  /** The delivery moved on (a Reprocess granted it): every owner's copy shows it. */
  deliveryChanged(a: Assignment, ctx: ViewContext, d: Sends): void {
    // Owners hear of a delivery only after grants were retried: a first-time grant has no copies.
    if (!a.resources.some((r) => r.attempts > 1)) return;
    d.update(subjects.delivery(a.id), this.options.views.deliveryProblem(ctx, a));
  }
}
