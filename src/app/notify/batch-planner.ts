import type { AccessRequest, Assignment, DomainEvent, UserId } from "../../domain/model";
import { peopleOfRequest } from "../../domain/request/participants";
import { requestAfterDelivery } from "../../domain/request/lifecycle";
import type { ViewContext } from "../../ports/read-models";
import { approvalCardModel } from "../queries/approval-card";
import { loadViewContext } from "../queries/view-context";
import type { ApprovalDigests } from "./approval-digests";
import type { Dispatch } from "./dispatch";
import { type LifecycleNotices, isLifecycleEvent } from "./lifecycle-notices";
import { type OwnerNotices, isOwnerEvent } from "./owner-notices";
import { subjects } from "./subjects";
import { toChannel, toRequester } from "./recipients";
import type { NotificationSinkOptions } from "./sink-options";
import { delegatesToTell } from "../delegation/in-force";
import { isExtensionActor } from "../../domain/extensions/model";

/** The sink's handlers of notices, shared by every batch. */
export interface NoticeHandlers {
  lifecycle: LifecycleNotices;
  owners: OwnerNotices;
  digests?: ApprovalDigests;
}

/**
 * Plans one batch: turns each event into the cards its people get, rendered from the stored request
 * or assignment (read once for the whole batch), and hands them to the batch's dispatch.
 */
export class BatchPlanner {
  private readonly lifecycle: LifecycleNotices;
  private readonly owners: OwnerNotices;
  private readonly digests?: ApprovalDigests;

  constructor(
    private readonly options: NotificationSinkOptions,
    handlers: NoticeHandlers,
    /** Reads shared by the batch's events, seeded with the state its step saved when still fresh. */
    private readonly reads: Map<string, Promise<unknown>>,
  ) {
    this.lifecycle = handlers.lifecycle;
    this.owners = handlers.owners;
    if (handlers.digests) this.digests = handlers.digests;
  }

  async handle(event: DomainEvent, d: Dispatch): Promise<void> {
    if (isLifecycleEvent(event)) return this.lifecycle.handle(event, d);
    if (isOwnerEvent(event)) return this.owners.handle(event, d);
    switch (event.type) {
      case "RequestSubmitted":
        // The requester's "submitted" card is the form they clicked, turned into the live status card.
        return this.withRequest(event.requestId, async (r, ctx) => this.tellTarget(r, ctx, d));
      case "StageStarted":
      case "StageEscalated":
      case "ApproversReminded":
      case "FallbackApproversAdded":
        return this.sendApprovals(event.requestId, event.approvers, d);
      case "ApprovalsDelegated":
        for (const requestId of event.requestIds)
          await this.sendApprovals(requestId, [], d, event.delegateId);
        return this.lifecycle.sendDelegatedReviews(event.reviewIds ?? [], event.delegateId, d);
      case "StageApproved":
        return this.withRequest(event.requestId, async (r, ctx) => {
          await this.updateRequestCards(r, ctx, d);
          // While a later stage waits, the requester hears who approved and who is next. The last
          // stage's approval (its batch approves the request) sends no message: the status card
          // moves on and "You now have" (or "scheduled") follows. Decided by the batch, not by the
          // state it finds, so a batch run again after a crash sends what its first run would.
          if (!d.approvedInBatch.has(event.requestId))
            toRequester(r, this.options.views.stageApproved(ctx, r, event.stage), d);
        });
      case "RequestApproved":
      case "RequestScheduled":
        return this.withRequest(event.requestId, async (r, ctx) => {
          await this.updateRequestCards(r, ctx, d);
          if (event.type === "RequestScheduled") {
            toRequester(r, this.options.views.scheduled(ctx, r, event.startAt), d);
          }
        });
      case "RequestDenied":
      case "RequestExpired":
      case "RequestCanceled":
        return this.withRequest(event.requestId, async (r, ctx) => {
          await this.updateRequestCards(r, ctx, d);
          const by = event.type === "RequestExpired" ? "system" : event.by;
          // Someone who canceled their own request sees it on the card they clicked.
          if (event.type === "RequestCanceled" && by === r.requesterId) return;
          toRequester(r, this.options.views.requestEnded(ctx, r, by), d);
        });
      case "AssignmentDelivered":
        return this.withAssignment(event.assignmentId, async (a, ctx) => {
          const delivered = this.options.views.delivered(ctx, a);
          d.send(a.userId, delivered);
          const stored = await this.request(a.requestId);
          const request =
            stored && requestAfterDelivery(stored, a, this.options.sources.clock.now().toISOString());
          if (request) {
            if (request.requesterId !== a.userId && request.requesterId !== "system") {
              const requesterCtx = await this.context([a.userId, request.requesterId]);
              d.send(request.requesterId, this.options.views.delivered(requesterCtx, a, request.requesterId));
            }
            // Approvers' copies already say who approved: only the requester's status card moves on.
            const requestCtx = await this.context(peopleOfRequest(request));
            d.update(subjects.status(request.id), this.options.views.requestStatus(requestCtx, request));
          }
          if (event.state !== "deliveryFailed")
            toChannel(a, ctx, this.options.views.channelNotice(ctx, a, "granted"), d);
          this.owners.deliveryChanged(a, ctx, d);
        });
      case "AssignmentExtended":
        return this.withAssignment(event.assignmentId, async (a, ctx) => {
          await this.lifecycle.closeExpiryCards(a, "extended", d);
          d.send(a.userId, this.options.views.extended(ctx, a));
        });
      case "AssignmentRemoved":
      case "AssignmentExpired":
      case "RemovalCompleted":
        return this.withAssignment(event.assignmentId, async (a, ctx) => {
          // Nobody is told "removed" while the access is still there: RemovalCompleted tells them.
          if (event.type !== "RemovalCompleted" && a.removal) return;
          if (event.type === "RemovalCompleted") this.owners.removalChanged(a, ctx, d);
          const change = a.state === "expired" ? "expired" : "removed";
          await this.lifecycle.closeExpiryCards(a, change, d);
          d.send(a.userId, this.options.views.accessEnded(ctx, a));
          toChannel(a, ctx, this.options.views.channelNotice(ctx, a, change), d);
        });
      case "GuestAccountChanged": {
        const ctx = await this.context(event.sponsorIds);
        for (const sponsor of event.sponsorIds)
          d.send(sponsor, this.options.views.guestAccountChanged(ctx, event));
        return;
      }
      default:
        return;
    }
  }

  private context(ids: Array<UserId | "system">): Promise<ViewContext> {
    return loadViewContext(this.options.sources, ids);
  }

  /**
   * One read for every event of the batch: its events come from one transition, so they show one
   * stored state, read once instead of per event.
   */
  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const reads = this.reads;
    let hit = reads.get(key) as Promise<T> | undefined;
    if (!hit) {
      const loading = load();
      hit = loading;
      reads.set(key, loading);
      loading.catch(() => reads.get(key) === loading && reads.delete(key));
    }
    return hit;
  }

  private async request(id: string): Promise<AccessRequest | undefined> {
    return this.shared(`request:${id}`, async () => (await this.options.sources.requests.get(id))?.value);
  }

  /** The approval card's model (delegates, people, conflicts) for this version of the request. */
  private cardModel(request: AccessRequest) {
    return this.shared(`model:${request.id}@${request.revision}`, () =>
      approvalCardModel(this.options.sources, request),
    );
  }

  private async withRequest(
    id: string,
    work: (r: AccessRequest, ctx: ViewContext) => Promise<void>,
  ): Promise<void> {
    const request = await this.request(id);
    if (!request) return this.options.logger.warn({ requestId: id }, "event for a request that is gone");
    await work(request, await this.context(peopleOfRequest(request)));
  }

  private async withAssignment(
    id: string,
    work: (a: Assignment, ctx: ViewContext) => Promise<void>,
  ): Promise<void> {
    const assignment = await this.shared(
      `assignment:${id}`,
      async () => (await this.options.sources.assignments.get(id))?.value,
    );
    if (!assignment)
      return this.options.logger.warn({ assignmentId: id }, "event for an assignment that is gone");
    await work(assignment, await this.context([assignment.userId]));
  }

  private async sendApprovals(
    requestId: string,
    approvers: UserId[],
    d: Dispatch,
    /** Only this delegate (who was just given the approvals); otherwise the approvers and their delegates. */
    onlyDelegate?: UserId,
  ): Promise<void> {
    const request = await this.request(requestId);
    if (!request) return;
    const model = await this.cardModel(request);
    const delegates = delegatesToTell(model.delegates, request, approvers, onlyDelegate);
    // An approval extension is asked through its webhook (src/app/extensions), not a card.
    for (const approver of new Set([...approvers.filter((id) => !isExtensionActor(id)), ...delegates])) {
      // A busy approver gets one digest for the burst instead of a card per request.
      const digests = this.digests;
      if (digests && (await digests.wants(approver, d.replaying))) {
        d.viaDigest(approver, () => digests.include(approver));
        continue;
      }
      const message = this.options.views.approval(model, request, approver);
      d.send(approver, message, subjects.approval(request.id));
    }
  }

  /** Someone else asked on this person's behalf: they get the live status card too. */
  private tellTarget(request: AccessRequest, ctx: ViewContext, d: Dispatch): void {
    if (request.requesterId === request.targetUserId || request.requesterId === "system") return;
    const message = this.options.views.requestStatus(ctx, request, request.targetUserId);
    d.send(request.targetUserId, message, subjects.status(request.id));
  }

  /** Every copy of the approval card and of the requester's status card shows the stored state. */
  private async updateRequestCards(request: AccessRequest, ctx: ViewContext, d: Dispatch): Promise<void> {
    const { views } = this.options;
    const model = await this.cardModel(request);
    d.update(subjects.approval(request.id), views.approval(model, request, undefined));
    d.update(subjects.status(request.id), views.requestStatus(ctx, request));
  }
}
