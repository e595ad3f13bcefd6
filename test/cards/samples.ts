import { GovernanceIndex } from "../../src/domain/governance-index";
import type { AccessRequest, AccessReview, Assignment } from "../../src/domain/model";
import type { CardMessage } from "../../src/ports/notifier";
import type { ViewContext } from "../../src/views/context";
import { approvalDecidedView, approvalView } from "../../src/views/approval";
import { approvalsDigestView } from "../../src/views/approvals-digest";
import { errorView, unexpectedErrorView } from "../../src/views/error";
import { stepUpView } from "../../src/views/step-up";
import { myAccessView, myRequestsView } from "../../src/views/lists";
import {
  accessEndedView,
  channelNoticeView,
  deliveredView,
  expiryReminderView,
  requestEndedView,
  stageApprovedView,
} from "../../src/views/notices";
import { packageListView, packageView } from "../../src/views/package";
import { requestFormView } from "../../src/views/request-form";
import { requestStatusView } from "../../src/views/request";
import { reviewView } from "../../src/views/review";
import { reviewResultsView } from "../../src/views/review-results";
import { toReviewResult } from "../../src/domain/reviews/results";
import { expiryClosedView } from "../../src/views/expiry";
import { welcomeView } from "../../src/views/welcome";
import { packageHoldersView, packageRequestsView } from "../../src/views/package-admin";
import { sodReportView } from "../../src/views/sod-report";
import { auditTrailView, delegationsView } from "../../src/views/audit-trail";
import { deliveryProblemView, removalProblemView } from "../../src/views/access-problem";
import { USERS, governanceFixture } from "../bot/fixtures/organization";

export const NOW = "2026-11-23T10:00:00.000Z";

export function sampleContext(): ViewContext {
  return {
    now: NOW,
    index: new GovernanceIndex(governanceFixture()),
    people: new Map(USERS.map((u) => [u.id, u])),
  };
}

export function sampleRequest(patch: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: "req_1",
    type: "userAdd",
    requesterId: "ana",
    targetUserId: "ana",
    packageId: "pkg-ba",
    policyId: "pol-ba",
    justification: "Quarterly forecasting for the EMEA region",
    answers: { costCenter: "CC-1234" },
    schedule: {},
    state: "pendingApproval",
    stages: [
      {
        index: 0,
        approvers: ["maria"],
        fallbackUsed: false,
        startedAt: NOW,
        dueAt: "2026-12-07T10:00:00.000Z",
        escalationApprovers: [],
        escalated: false,
      },
    ],
    currentStage: 0,
    createdAt: NOW,
    updatedAt: NOW,
    revision: 2,
    ...patch,
  };
}

export function sampleAssignment(patch: Partial<Assignment> = {}): Assignment {
  return {
    id: "asg_1",
    userId: "ana",
    packageId: "pkg-ba",
    policyId: "pol-ba",
    requestId: "req_1",
    state: "delivered",
    startAt: NOW,
    endAt: "2026-12-23T10:00:00.000Z",
    resources: governanceFixture().packages[0]!.resourceRoles.map((role) => ({
      role,
      status: "granted" as const,
      attempts: 1,
      heldBefore: false,
    })),
    remindersSent: [],
    createdAt: NOW,
    updatedAt: NOW,
    revision: 3,
    ...patch,
  };
}

export function sampleReview(): AccessReview {
  return {
    id: "rev_1",
    packageId: "pkg-ba",
    policyId: "pol-ba",
    period: "2026-11",
    startAt: NOW,
    endAt: "2026-12-07T10:00:00.000Z",
    state: "inProgress",
    items: [
      {
        assignmentId: "asg_1",
        userId: "ana",
        reviewers: ["maria"],
        recommendation: "approve",
        recommendationReason: "Signed in recently",
      },
      {
        assignmentId: "asg_2",
        userId: "ben",
        reviewers: ["maria"],
        recommendation: "none",
        recommendationReason: "",
      },
      {
        assignmentId: "asg_3",
        userId: "lola",
        reviewers: ["maria"],
        recommendation: "deny",
        recommendationReason: "No sign-in for 30 days",
        decision: { outcome: "deny", by: "maria", at: NOW, justification: "Left the project" },
      },
    ],
    createdAt: NOW,
    revision: 1,
  };
}

function completedReview(): AccessReview {
  const review = sampleReview();
  return {
    ...review,
    state: "completed",
    items: review.items.map((i) => ({ ...i, applied: i.decision?.outcome === "deny" ? "removed" : "kept" })),
  };
}

/** At least one view model per template, including the awkward cases. */
export function samples(): Array<{ name: string; message: CardMessage }> {
  const ctx = sampleContext();
  const config = governanceFixture();
  const [ba, sales] = config.packages;
  const [polBa, polSales] = config.policies;
  const decided = sampleRequest({
    state: "denied",
    currentStage: undefined,
    outcomeReason: "Not needed for this role",
    stages: [
      {
        ...sampleRequest().stages[0]!,
        decision: { outcome: "deny", by: "maria", at: NOW, justification: "Not needed" },
      },
    ],
  });
  return [
    { name: "welcome", message: welcomeView("Ana Costa") },
    { name: "help", message: welcomeView(undefined, true) },
    { name: "package", message: packageView(ctx, ba!, { requestable: [polBa!] }) },
    {
      name: "package blocked",
      message: packageView(ctx, sales!, { requestable: [], blockedReason: "No policy lets you." }),
    },
    {
      name: "package on behalf",
      message: packageView(ctx, ba!, { requestable: [polBa!, polSales!], forRef: "r1", forName: "Ben" }),
    },
    {
      name: "package list",
      message: packageListView(
        "Packages you can request",
        [{ pkg: ba! }, { pkg: sales!, note: "Held by Lola" }],
        "None",
      ),
    },
    { name: "package list empty", message: packageListView("Nothing", [], "Nothing matches.") },
    { name: "request form", message: requestFormView(ctx, { pkg: ba!, policy: polBa! }) },
    {
      name: "request form with problems",
      message: requestFormView(ctx, {
        pkg: ba!,
        policy: polBa!,
        values: { justification: "", q_costCenter: "12", startDate: "2026-11-01" },
        problems: [
          { field: "justification", message: "A business justification is required." },
          { field: "question:costCenter", message: "The answer doesn't have the expected format." },
          { field: "schedule.startAt", message: "The start can't be in the past." },
          { field: "policy", message: "Something general." },
        ],
      }),
    },
    {
      name: "request form without questions",
      message: requestFormView(ctx, { pkg: sales!, policy: polSales! }),
    },
    { name: "request status", message: requestStatusView(ctx, sampleRequest()) },
    { name: "request status denied", message: requestStatusView(ctx, decided) },
    {
      name: "approval actionable",
      message: approvalView(ctx, sampleRequest(), { actionable: true, refreshUserIds: ["29:maria"] }),
    },
    {
      name: "approval read-only with warnings",
      message: approvalView(ctx, sampleRequest({ requesterId: "maria", targetUserId: "ben", answers: {} }), {
        actionable: false,
        refreshUserIds: [],
        sodWarnings: ["Ben already has Salesforce Sales"],
      }),
    },
    { name: "approval decided", message: approvalDecidedView(ctx, decided) },
    { name: "my requests", message: myRequestsView(ctx, "ana", [sampleRequest(), decided]) },
    { name: "my requests empty", message: myRequestsView(ctx, "ana", []) },
    {
      name: "my access",
      message: myAccessView(ctx, [
        sampleAssignment(),
        sampleAssignment({ id: "asg_2", policyId: "pol-sales", packageId: "pkg-sales", endAt: undefined }),
      ]),
    },
    { name: "my access empty", message: myAccessView(ctx, []) },
    {
      name: "approvals digest",
      message: approvalsDigestView(
        {
          ctx,
          approverId: "maria",
          requests: Array.from({ length: 20 }, (_, i) =>
            sampleRequest({ id: `req_${i + 1}`, justification: "x".repeat(300) }),
          ),
          refreshUserIds: ["29:maria"],
        },
        [
          { requestId: "req_21", kind: "approved", request: sampleRequest({ id: "req_21" }) },
          { requestId: "req_22", kind: "alreadyDecided", message: "Approved by Sam Reyes" },
        ],
      ),
    },
    {
      name: "approvals digest empty",
      message: approvalsDigestView({ ctx, approverId: "maria", requests: [], refreshUserIds: [] }),
    },
    { name: "expiry reminder", message: expiryReminderView(ctx, sampleAssignment()) },
    {
      name: "expiry reminder no extend",
      message: expiryReminderView(ctx, sampleAssignment({ policyId: "pol-sales" })),
    },
    { name: "delivered", message: deliveredView(ctx, sampleAssignment()) },
    { name: "denied", message: requestEndedView(ctx, decided) },
    { name: "stage approved", message: stageApprovedView(ctx, sampleRequest(), 1) },
    { name: "access ended", message: accessEndedView(ctx, sampleAssignment({ state: "expired" })) },
    { name: "channel notice", message: channelNoticeView(ctx, sampleAssignment(), "granted") },
    {
      name: "removal failed",
      message: removalProblemView(
        ctx,
        sampleAssignment({
          state: "removed",
          removedAt: NOW,
          removalReason: "Left the project",
          resources: sampleAssignment().resources.map((r) => ({ ...r, lastError: "403 Forbidden" })),
          removal: { status: "removalFailed", attempts: 6, lastError: "403 Forbidden", failedAt: NOW },
        }),
      ),
    },
    {
      name: "removal completed",
      message: removalProblemView(
        ctx,
        sampleAssignment({
          state: "expired",
          removal: { status: "completed", attempts: 2, completedAt: NOW },
        }),
      ),
    },
    {
      name: "delivery failed",
      message: deliveryProblemView(
        ctx,
        sampleAssignment({
          state: "deliveryFailed",
          resources: sampleAssignment().resources.map((r) => ({ ...r, status: "failed", lastError: "404" })),
        }),
        "Still failing: 404",
      ),
    },
    { name: "review", message: reviewView(ctx, sampleReview(), "maria") },
    {
      name: "review with notice, problem and start dates",
      message: reviewView(ctx, sampleReview(), "maria", {
        notice: "Reminder: this review ends soon.",
        problem: "A reason is required for review decisions.",
        since: new Map([["asg_1", "2026-06-01T00:00:00.000Z"]]),
      }),
    },
    { name: "review completed", message: reviewView(ctx, completedReview(), "maria") },
    {
      name: "review results",
      message: reviewResultsView(
        ctx,
        "pkg-ba",
        toReviewResult(completedReview()),
        toReviewResult(completedReview()).items,
        "all",
      ),
    },
    {
      name: "review results for a reviewer",
      message: reviewResultsView(
        ctx,
        "pkg-ba",
        toReviewResult(sampleReview()),
        toReviewResult(sampleReview()).items.slice(0, 2),
        "reviewed",
      ),
    },
    {
      name: "who has, a middle page",
      message: packageHoldersView({
        ctx,
        pkg: ba!,
        rows: [
          { assignment: sampleAssignment(), how: "request" },
          { assignment: sampleAssignment({ id: "asg_2", userId: "ben", endAt: undefined }), how: "auto" },
        ],
        total: 25,
        page: 1,
        pageSize: 10,
      }),
    },
    {
      name: "who has, with the CSV export",
      message: packageHoldersView({
        ctx,
        pkg: ba!,
        rows: [{ assignment: sampleAssignment(), how: "direct" }],
        total: 150,
        page: 0,
        pageSize: 10,
        csv: {
          text: `person,userId,state,start,end,howAssigned,assignmentId\r\n${"Ana Costa,ana,delivered,2026-11-23T10:00:00.000Z,2026-12-23T10:00:00.000Z,request,asg_1\r\n".repeat(150)}`,
          rows: 150,
          truncated: true,
        },
      }),
    },
    {
      name: "who has, nobody",
      message: packageHoldersView({ ctx, pkg: ba!, rows: [], total: 0, page: 0, pageSize: 10 }),
    },
    {
      name: "pending requests of a package",
      message: packageRequestsView({
        ctx,
        pkg: ba!,
        requests: [sampleRequest(), sampleRequest({ id: "req_2", requesterId: "maria", state: "scheduled" })],
      }),
    },
    {
      name: "audit trail with a download link",
      message: auditTrailView(
        {
          ctx,
          about: { kind: "package", packageId: "pkg-ba" },
          name: "Business Analyst",
          role: "catalogOwner",
          days: 30,
          entries: [
            {
              id: "aud_1",
              at: NOW,
              actor: "sam",
              action: "stage.approved",
              subject: "request:req_1",
              targetUserId: "ana",
              packageId: "pkg-ba",
              reason: "Covers the forecast",
              source: "card:approval.approve",
              details: { onBehalfOf: "maria" },
            },
          ],
        },
        { url: "http://127.0.0.1:3978/audit/download?t=abc.def", minutes: 10 },
      ),
    },
    {
      name: "audit trail, nothing, no download",
      message: auditTrailView({
        ctx,
        about: { kind: "person", userId: "ana" },
        name: "Ana Costa",
        role: "auditor",
        entries: [],
      }),
    },
    {
      name: "delegations",
      message: delegationsView({
        ctx,
        delegations: [
          { approverId: "maria", delegateId: "sam", until: "2026-12-24T23:59:59.000Z", createdAt: NOW },
        ],
      }),
    },
    { name: "delegations, none", message: delegationsView({ ctx, delegations: [] }) },
    {
      name: "separation of duties report",
      message: sodReportView({
        ctx,
        catalogs: config.catalogs,
        groupNames: new Map([["g-security", "Security approvers"]]),
        violations: [
          {
            kind: "packages",
            userId: "ana",
            packageId: "pkg-ba",
            otherPackageId: "pkg-sales",
            catalogId: "cat-finance",
          },
          {
            kind: "group",
            userId: "ben",
            packageId: "pkg-ba",
            groupId: "g-security",
            catalogId: "cat-finance",
          },
        ],
      }),
    },
    {
      name: "separation of duties report, nothing",
      message: sodReportView({ ctx, catalogs: config.catalogs, groupNames: new Map(), violations: [] }),
    },
    { name: "expiry extended", message: expiryClosedView(ctx, sampleAssignment(), "extended") },
    {
      name: "expiry ended",
      message: expiryClosedView(ctx, sampleAssignment({ state: "expired" }), "expired"),
    },
    {
      name: "error",
      message: errorView({ code: "APPROVAL.NOT_AN_APPROVER", message: "You aren't an approver." }),
    },
    { name: "unexpected error", message: unexpectedErrorView("corr-123") },
    {
      name: "sign in to approve",
      message: stepUpView({
        requestId: "req-1",
        message: "This approval needs a multi-factor sign-in from the last 10 minutes.",
        freshnessMinutes: 10,
        canSignIn: true,
        lastSignInAt: "2026-11-23T09:30:00.000Z",
      }),
    },
    {
      name: "sign in to approve, not set up",
      message: stepUpView({
        requestId: "req-1",
        message: "Sign-in isn't set up.",
        freshnessMinutes: 10,
        canSignIn: false,
      }),
    },
  ];
}
