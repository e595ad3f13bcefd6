import { cancelRequest } from "../../app/cancel-request";
import { loadPerson } from "../../app/shared/context";
import { submitRequest } from "../../app/submit-request";
import { subjects } from "../../app/notify/subjects";
import { loadViewContext, withNamedApprovers } from "../../app/queries/view-context";
import type { DomainError } from "../../domain/errors";
import type { AccessRequest, DirectoryUser } from "../../domain/model";
import { requestablePolicies } from "../../domain/policy/eligibility";
import { LIMITS } from "../../domain/request/validate-request";
import { errorView } from "../../views/error";
import { requestStatusView } from "../../views/request";
import { FORM_INPUTS, requestFormView } from "../../views/request-form";
import { showPackage } from "../answers/packages";
import { resolveReportRef } from "../report-ref";
import { sendCard } from "../turn";
import { requestView, viewRequest } from "../../app/queries/requests";
import { type ActionAnswer, type ActionTurn, need } from "./execute";
import { auditInvalidAction } from "../card-data";
import { isInviteRef, submitInviteAction } from "../answers/invite";

const NOT_A_REPORT = errorView({
  code: "POLICY.ON_BEHALF_NOT_ALLOWED",
  message: "This card asks for someone who isn't your direct report.",
});

async function reportOf(turn: ActionTurn): Promise<DirectoryUser | undefined | "forged"> {
  const ref = need(turn.data.optionalId("forRef"));
  if (!ref) return undefined;
  const report = await resolveReportRef(turn.deps.directory, turn.actorId, ref);
  if (report) return report;
  // A reference that names nobody reporting to the clicker: forged or stale, either way audited.
  await auditInvalidAction(
    turn.deps,
    turn.actorId,
    String(turn.context.activity.value?.action?.verb ?? "card"),
    "the card asks for someone who isn't the clicker's direct report",
    "POLICY.ON_BEHALF_NOT_ALLOWED",
  );
  return "forged";
}

/** "Details" on a list: the package card as a new message. */
export async function showPackageAction(turn: ActionTurn): Promise<ActionAnswer> {
  const packageId = need(turn.data.id("packageId"));
  const report = await reportOf(turn);
  if (report === "forged") return NOT_A_REPORT;
  await sendCard(turn.context, await showPackage(turn.deps, turn.actorId, packageId, report));
  return "The package is shown below.";
}

/** "Request": the form of the chosen (or only applicable) policy, as a new message. */
export async function requestFormAction(turn: ActionTurn): Promise<ActionAnswer> {
  const { deps, actorId } = turn;
  const packageId = need(turn.data.id("packageId"));
  const policyId = need(turn.data.optionalId("policyId"));
  const report = await reportOf(turn);
  if (report === "forged") return NOT_A_REPORT;
  const ctx = await loadViewContext(deps, [actorId]);
  const [requester, target] = await Promise.all([
    loadPerson(deps, actorId),
    report ? loadPerson(deps, report.id) : undefined,
  ]);
  if (!requester)
    return errorView({ code: "POLICY.NOT_ELIGIBLE", message: "I can't find you in the directory." });
  const policies = requestablePolicies(ctx.index, packageId, requester, target ?? requester);
  if (!policies.ok) return errorView(policies.error);
  const policy = policyId ? policies.value.find((p) => p.id === policyId) : policies.value[0];
  if (!policy)
    return errorView({
      code: "POLICY.NOT_ELIGIBLE",
      message: "That policy doesn't apply to you; pick another one.",
    });
  if (!policyId && policies.value.length > 1) {
    // Several policies apply: the package card lets the person pick one.
    await sendCard(turn.context, await showPackage(deps, actorId, packageId, report));
    return "Pick the policy that fits you below.";
  }
  const pkg = ctx.index.package(packageId)!;
  await sendCard(
    turn.context,
    requestFormView(await withNamedApprovers(deps, ctx, [policy]), {
      pkg,
      policy,
      forRef: need(turn.data.optionalId("forRef")),
      forName: report?.displayName,
    }),
  );
  return "The request form is shown below.";
}

/** A form date (YYYY-MM-DD) as an instant: starts at the beginning of the day, ends at its end. */
export function dateInput(value: string, edge: "start" | "end"): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value === "" ? undefined : value;
  return `${value}T${edge === "start" ? "00:00:00.000" : "23:59:59.000"}Z`;
}

/** Submit: invalid input re-shows the form with the problems marked and creates nothing. */
export async function submitAction(turn: ActionTurn): Promise<ActionAnswer> {
  const { deps, actorId, data, context } = turn;
  // The form of "invite <address> to <package>": a partner to invite, not a direct report.
  const ref = need(data.optionalId("forRef"));
  if (isInviteRef(ref)) return submitInviteAction(turn, ref);
  const packageId = need(data.id("packageId"));
  const policyId = need(data.id("policyId"));
  const report = await reportOf(turn);
  if (report === "forged") return NOT_A_REPORT;
  const justification = need(data.text(FORM_INPUTS.justification, LIMITS.justification));
  const startDate = need(data.text(FORM_INPUTS.startDate, 40)).trim();
  const endDate = need(data.text(FORM_INPUTS.endDate, 40)).trim();
  const values: Record<string, string> = { justification, startDate, endDate };
  const answers: Record<string, string> = {};
  for (const key of Object.keys(data.withPrefix("q_")).slice(0, 50)) {
    const value = need(data.text(key, LIMITS.longText));
    values[key] = value;
    if (value.trim() !== "") answers[key.slice(2)] = value;
  }
  const today = deps.clock.now().toISOString().slice(0, 10);
  const startAt = startDate && startDate !== today ? dateInput(startDate, "start") : undefined;
  const endAt = endDate ? dateInput(endDate, "end") : undefined;
  const submitted = await submitRequest(deps, {
    actorId,
    targetUserId: report?.id,
    packageId,
    policyId,
    justification,
    answers,
    schedule: startAt || endAt ? { startAt, endAt } : undefined,
    source: "card:request.submit",
  });
  if (!submitted.ok) {
    const open = await openRequestAnswer(turn, submitted.error);
    if (open) return open;
    const ctx = await loadViewContext(deps, [actorId]);
    const pkg = ctx.index.package(packageId);
    const policy = ctx.index.policy(policyId);
    if (submitted.error.problems?.length && pkg && policy) {
      const forRef = need(data.optionalId("forRef"));
      return requestFormView(await withNamedApprovers(deps, ctx, [policy]), {
        pkg,
        policy,
        forRef,
        forName: report?.displayName,
        values,
        problems: submitted.error.problems,
      });
    }
    return errorView(submitted.error);
  }
  void submitted.value.followUp;
  return becomeStatusCard({ deps, context, actorId }, submitted.value.request);
}

/**
 * A second Submit (a double click, two clicks racing, an old form sent again) while the request is
 * open: the clicked card becomes that request's status card, as the first click's did, not an error.
 */
export async function openRequestAnswer(
  turn: Pick<ActionTurn, "deps" | "context" | "actorId">,
  error: DomainError,
): Promise<ActionAnswer | undefined> {
  const requestId = error.code === "REQUEST.DUPLICATE" ? error.details?.requestId : undefined;
  if (!requestId) return undefined;
  const view = await viewRequest(turn.deps, turn.actorId, requestId);
  return view ? becomeStatusCard(turn, view.request) : undefined;
}

/**
 * The clicked card becomes the requester's live status card: remembered under the request's status
 * subject, so every later step re-renders it in place.
 */
export async function becomeStatusCard(
  { deps, context, actorId }: Pick<ActionTurn, "deps" | "context" | "actorId">,
  request: AccessRequest,
): Promise<ActionAnswer> {
  const activityId = context.activity.replyToId;
  const conversationId = context.activity.conversation?.id;
  if (activityId && conversationId) {
    await deps.conversations.rememberCard({
      subject: subjects.status(request.id),
      userId: actorId,
      conversationId,
      activityId,
    });
  }
  const view = await requestView(deps, request);
  return requestStatusView(view.ctx, view.request, actorId);
}

export async function cancelAction({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const requestId = need(data.id("requestId"));
  const canceled = await cancelRequest(deps, { actorId, requestId, source: "card:request.cancel" });
  if (!canceled.ok) return errorView(canceled.error);
  const view = await requestView(deps, canceled.value);
  return requestStatusView(view.ctx, view.request, actorId);
}

/** "Details": the request's status card as a new message, for the people in it. */
export async function showRequestAction({ deps, context, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const requestId = need(data.id("requestId"));
  const view = await viewRequest(deps, actorId, requestId);
  if (!view) {
    return errorView({
      code: "REQUEST.NOT_FOUND",
      message: "That request doesn't exist or isn't yours to see.",
    });
  }
  await sendCard(context, requestStatusView(view.ctx, view.request, actorId));
  return "The request is shown below.";
}
