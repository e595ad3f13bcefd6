import { extensionFailedView } from "./extension-notice";
import { guestAccountChangedView } from "./guest-notice";
import type { NotificationViews } from "../ports/notification-views";
import type { CardMessage, OutgoingCard } from "../ports/notifier";
import { deliveryProblemView, removalProblemView } from "./access-problem";
import { approvalCard } from "./approval-card";
import { approvalsDigestView } from "./approvals-digest";
import { driftView } from "./drift";
import { expiryClosedView, expiryReminderView } from "./expiry";
import {
  accessEndedView,
  channelNoticeView,
  deliveredView,
  extendedView,
  requestEndedView,
  reviewCompletedView,
  scheduledView,
  stageApprovedView,
  undeliverableView,
} from "./notices";
import { renderCard } from "./render";
import { requestStatusView } from "./request";
import { reviewView } from "./review";

/** What a request's notices tell about: a newer one makes a waiting progress notice moot. */
const aboutRequest = (requestId: string) => `request:${requestId}`;

/** A view expanded from its template: what the notifier sends. */
export const outgoing = (message: CardMessage): OutgoingCard => ({
  card: renderCard(message),
  summary: message.summary,
});

/** The cards of the notifications, drawn by the views under this folder. */
export const notificationViews: NotificationViews = {
  approval: (model, request, viewerId) => outgoing(approvalCard(model, request, viewerId)),
  approvalsDigest: (model) => outgoing(approvalsDigestView(model)),
  requestStatus: (ctx, request, viewerId) => outgoing(requestStatusView(ctx, request, viewerId)),
  // Who approved and who is next: read when it comes; outcomes and approval cards go first, and an
  // outcome that overtakes it while it waits makes it moot (WaitingProgress).
  stageApproved: (ctx, request, stage) => ({
    ...outgoing(stageApprovedView(ctx, request, stage)),
    progress: true,
    about: aboutRequest(request.id),
  }),
  scheduled: (ctx, request, startAt) => ({
    ...outgoing(scheduledView(ctx, request, startAt)),
    about: aboutRequest(request.id),
  }),
  requestEnded: (ctx, request, by) => ({
    ...outgoing(requestEndedView(ctx, request, by)),
    about: aboutRequest(request.id),
  }),
  delivered: (ctx, assignment, viewer) => ({
    ...outgoing(deliveredView(ctx, assignment, viewer)),
    about: aboutRequest(assignment.requestId),
  }),
  extended: (ctx, assignment) => outgoing(extendedView(ctx, assignment)),
  accessEnded: (ctx, assignment) => outgoing(accessEndedView(ctx, assignment)),
  channelNotice: (ctx, assignment, change) => outgoing(channelNoticeView(ctx, assignment, change)),
  expiryReminder: (ctx, assignment, endsWithReview) =>
    outgoing(expiryReminderView(ctx, assignment, { endsWithReview })),
  expiryClosed: (ctx, assignment, change) => outgoing(expiryClosedView(ctx, assignment, change)),
  review: (model, review, reviewerId, reminder) =>
    outgoing(
      reviewView(model.ctx, review, reviewerId, {
        since: model.since,
        ...(model.principals ? { principals: model.principals } : {}),
        ...(reminder ? { notice: { reminder: true } } : {}),
      }),
    ),
  reviewCompleted: (ctx, review, reviewerId) => outgoing(reviewCompletedView(ctx, review, reviewerId)),
  undeliverable: (ctx, personId, packageId, reason) =>
    outgoing(undeliverableView(ctx, personId, packageId, reason)),
  extensionFailed: (ctx, failure) => outgoing(extensionFailedView(ctx, failure)),
  guestAccountChanged: (ctx, change) => outgoing(guestAccountChangedView(ctx, change)),
  removalProblem: (ctx, assignment) => outgoing(removalProblemView(ctx, assignment)),
  deliveryProblem: (ctx, assignment) => outgoing(deliveryProblemView(ctx, assignment)),
  drift: (ctx, catalogId, findings) => outgoing(driftView(ctx, catalogId, findings)),
};
