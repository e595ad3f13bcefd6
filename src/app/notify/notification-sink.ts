import type { AccessRequest, Assignment, ChannelRef, DomainEvent, UserId } from "../../domain/model";
import { peopleOfRequest } from "../../domain/request/participants";
import type { EventSink } from "../../ports/events";
import type { Logger } from "../../ports/logger";
import type { NotificationViews } from "../../ports/notification-views";
import type { Notifier, OutgoingCard } from "../../ports/notifier";
import type { ViewContext } from "../../ports/read-models";
import type { ReviewStore } from "../../ports/stores";
import { type RequestCardSources, approvalCardModel } from "../queries/approval-card";
import { loadViewContext } from "../queries/view-context";
import { LifecycleNotices, isLifecycleEvent } from "./lifecycle-notices";
import { subjects } from "./subjects";

export { subjects };

export interface NotificationSinkOptions {
  sources: RequestCardSources & { reviews: ReviewStore };
  notifier: Notifier;
  views: NotificationViews;
  logger: Logger;
}

/**
 * Decides who is told what when a transition is saved: turns domain events into cards. Publishing only queues: the use case (and a card click) answers
 * without waiting for fan-out. Each card is re-rendered from the stored request or assignment, so a
 * late or repeated event still shows the current state.
 */
export class NotificationSink implements EventSink {
  private queue: Promise<void> = Promise.resolve();

  private readonly lifecycle: LifecycleNotices;

  constructor(private readonly options: NotificationSinkOptions) {
    this.lifecycle = new LifecycleNotices({
      ...options,
      notify: (userId, message, subject) => this.notify(userId, message, subject),
    });
  }

  async publish(events: DomainEvent[]): Promise<void> {
    const batch = [...events];
    this.queue = this.queue.then(async () => {
      for (const event of batch) {
        try {
          await this.handle(event);
        } catch (error) {
          this.options.logger.error({ err: error, event: event.type }, "notification failed");
        }
      }
    });
  }

  /** Resolves once every queued notification went out: for tests and a graceful shutdown. */
  async drain(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
  }

  private async handle(event: DomainEvent): Promise<void> {
    if (isLifecycleEvent(event)) return this.lifecycle.handle(event);
    switch (event.type) {
      case "RequestSubmitted":
        // The requester's "submitted" card is the form they clicked, turned into the live status card.
        return this.withRequest(event.requestId, (r, ctx) => this.tellTarget(r, ctx));
      case "StageStarted":
      case "StageEscalated":
      case "ApproversReminded":
        return this.sendApprovals(event.requestId, event.approvers);
      case "StageApproved":
        return this.withRequest(event.requestId, async (r, ctx) => {
          await this.updateRequestCards(r, ctx);
          await this.toRequester(r, this.options.views.stageApproved(ctx, r, event.stage));
        });
      case "RequestApproved":
      case "RequestScheduled":
        return this.withRequest(event.requestId, async (r, ctx) => {
          await this.updateRequestCards(r, ctx);
          if (event.type === "RequestScheduled") {
            await this.toRequester(r, this.options.views.scheduled(ctx, r, event.startAt));
          }
        });
      case "RequestDenied":
      case "RequestExpired":
      case "RequestCanceled":
        return this.withRequest(event.requestId, async (r, ctx) => {
          await this.updateRequestCards(r, ctx);
          const by = event.type === "RequestExpired" ? "system" : event.by;
          // Someone who canceled their own request sees it on the card they clicked.
          if (event.type === "RequestCanceled" && by === r.requesterId) return;
          await this.toRequester(r, this.options.views.requestEnded(ctx, r, by));
        });
      case "AssignmentDelivered":
        return this.withAssignment(event.assignmentId, async (a, ctx) => {
          const delivered = this.options.views.delivered(ctx, a);
          await this.notify(a.userId, delivered);
          const request = (await this.options.sources.requests.get(a.requestId))?.value;
          if (request) {
            if (request.requesterId !== a.userId && request.requesterId !== "system") {
              await this.notify(request.requesterId, delivered);
            }
            await this.updateRequestCards(request, await this.context(peopleOfRequest(request)));
          }
          if (event.state !== "deliveryFailed")
            await this.toChannel(a, ctx, this.options.views.channelNotice(ctx, a, "granted"));
        });
      case "AssignmentExtended":
        return this.withAssignment(event.assignmentId, async (a, ctx) => {
          await this.lifecycle.closeExpiryCards(a, "extended");
          await this.notify(a.userId, this.options.views.extended(ctx, a));
        });
      case "AssignmentRemoved":
      case "AssignmentExpired":
        return this.withAssignment(event.assignmentId, async (a, ctx) => {
          await this.lifecycle.closeExpiryCards(
            a,
            event.type === "AssignmentExpired" ? "expired" : "removed",
          );
          const change = event.type === "AssignmentExpired" ? "expired" : "removed";
          await this.notify(a.userId, this.options.views.accessEnded(ctx, a));
          await this.toChannel(a, ctx, this.options.views.channelNotice(ctx, a, change));
        });
      default:
        return;
    }
  }

  private context(ids: Array<UserId | "system">): Promise<ViewContext> {
    return loadViewContext(this.options.sources, ids);
  }

  private async withRequest(
    id: string,
    work: (r: AccessRequest, ctx: ViewContext) => Promise<void>,
  ): Promise<void> {
    const request = (await this.options.sources.requests.get(id))?.value;
    if (!request) return this.options.logger.warn({ requestId: id }, "event for a request that is gone");
    await work(request, await this.context(peopleOfRequest(request)));
  }

  private async withAssignment(
    id: string,
    work: (a: Assignment, ctx: ViewContext) => Promise<void>,
  ): Promise<void> {
    const assignment = (await this.options.sources.assignments.get(id))?.value;
    if (!assignment)
      return this.options.logger.warn({ assignmentId: id }, "event for an assignment that is gone");
    await work(assignment, await this.context([assignment.userId]));
  }

  private async sendApprovals(requestId: string, approvers: UserId[]): Promise<void> {
    const request = (await this.options.sources.requests.get(requestId))?.value;
    if (!request) return;
    const model = await approvalCardModel(this.options.sources, request);
    for (const approver of new Set(approvers)) {
      const message = this.options.views.approval(model, request, approver);
      await this.notify(approver, message, subjects.approval(request.id));
    }
  }

  /** Someone else asked on this person's behalf: they get the live status card too. */
  private async tellTarget(request: AccessRequest, ctx: ViewContext): Promise<void> {
    if (request.requesterId === request.targetUserId || request.requesterId === "system") return;
    const message = this.options.views.requestStatus(ctx, request, request.targetUserId);
    await this.notify(request.targetUserId, message, subjects.status(request.id));
  }

  private async toRequester(request: AccessRequest, message: OutgoingCard): Promise<void> {
    const to = request.requesterId === "system" ? request.targetUserId : request.requesterId;
    await this.notify(to, message);
    if (request.targetUserId !== to) await this.notify(request.targetUserId, message);
  }

  /** Every copy of the approval card and of the requester's status card shows the stored state. */
  private async updateRequestCards(request: AccessRequest, ctx: ViewContext): Promise<void> {
    const { notifier, views } = this.options;
    const model = await approvalCardModel(this.options.sources, request);
    await notifier.updateCards(subjects.approval(request.id), views.approval(model, request, undefined));
    await notifier.updateCards(subjects.status(request.id), views.requestStatus(ctx, request));
  }

  private async toChannel(a: Assignment, ctx: ViewContext, message: OutgoingCard): Promise<void> {
    const channel: ChannelRef | undefined =
      ctx.index.package(a.packageId)?.channel ?? ctx.index.catalogOfPackage(a.packageId)?.channel;
    if (channel) await this.options.notifier.sendToChannel(channel, message);
  }

  private async notify(userId: UserId, message: OutgoingCard, subject?: string): Promise<void> {
    try {
      await this.options.notifier.sendToUser(userId, message, subject);
    } catch (error) {
      this.options.logger.warn({ err: error, userId, summary: message.summary }, "could not reach the user");
    }
  }
}
