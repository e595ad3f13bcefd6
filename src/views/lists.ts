import type { AccessRequest, Assignment, AssignmentState } from "../domain/model";
import { grantsUnderway, holdsAccess } from "../domain/assignment/failed-grants";
import { isActive } from "../domain/assignment/lifecycle";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, nameOf, packageName } from "./context";
import { stateLabel } from "./request";
import { day, timeLeft, when } from "./time";

const MAX_ITEMS = 15;
const more = (total: number) => (total > MAX_ITEMS ? `Showing the newest ${MAX_ITEMS} of ${total}.` : "");

/** The viewer's requests, newest first, with Cancel where it still applies. */
export function myRequestsView(ctx: ViewContext, viewerId: string, requests: AccessRequest[]): CardMessage {
  return {
    template: "my-requests",
    summary: `Your requests (${requests.length})`,
    data: {
      empty: requests.length === 0,
      more: more(requests.length),
      items: requests.slice(0, MAX_ITEMS).map((r) => ({
        requestId: r.id,
        revision: r.revision,
        packageName: packageName(ctx, r.packageId),
        forLine: r.targetUserId !== viewerId ? `For ${nameOf(ctx, r.targetUserId)}` : "",
        status: stateLabel(r.state),
        submittedAt: when(r.createdAt),
        canCancel: ["submitted", "pendingApproval"].includes(r.state),
      })),
    },
  };
}

/** Where an assignment stands, in words that never claim more than is true. */
function assignmentStatus(a: Assignment): string {
  if (a.removal?.status === "removalFailed") return "Ended, but removing it failed: you still have it";
  if (a.removal?.status === "removing") return "Ended, being removed";
  const retrying = grantsUnderway(a);
  const label: Record<AssignmentState, string> = {
    delivering: "Being delivered",
    delivered: "Active",
    partiallyDelivered: retrying ? "Partly delivered, retrying" : "Partly delivered",
    deliveryFailed: retrying ? "Not delivered yet, retrying" : "Delivery failed",
    expired: "Expired",
    removed: "Removed",
  };
  return label[a.state];
}

/** The viewer's active assignments with their end dates, Extend and Remove where the policy allows. */
export function myAccessView(ctx: ViewContext, assignments: Assignment[]): CardMessage {
  return {
    template: "my-access",
    summary: `Your access (${assignments.length})`,
    data: {
      empty: assignments.length === 0,
      more: more(assignments.length),
      items: assignments.slice(0, MAX_ITEMS).map((a) => {
        const lifecycle = ctx.index.policy(a.policyId)?.lifecycle;
        return {
          assignmentId: a.id,
          revision: a.revision,
          packageName: packageName(ctx, a.packageId),
          status: assignmentStatus(a),
          until: a.endAt ? `Until ${day(a.endAt)} (${timeLeft(ctx.now, a.endAt)})` : "No end date",
          canExtend: holdsAccess(a) && !!lifecycle?.extension.allowed && a.endAt !== undefined,
          canRemove: isActive(a) && !!lifecycle?.selfRemoval,
        };
      }),
    },
  };
}
