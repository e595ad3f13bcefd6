import { checkInvitation, submitInvitation } from "../../app/invitations/submit-invitation";
import { loadViewContext, withNamedApprovers } from "../../app/queries/view-context";
import { loadIndex } from "../../app/shared/context";
import { inviteeEmail, inviteeId } from "../../domain/external/invitation";
import type { UserId } from "../../domain/model";
import { LIMITS } from "../../domain/request/validate-request";
import { matchPackages } from "../../domain/search";
import type { CardMessage } from "../../ports/notifier";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { FORM_INPUTS, requestFormView } from "../../views/request-form";
import { LIMITS as VIEW_LIMITS, safeText } from "../../views/text";
import { type ActionAnswer, type ActionTurn, need } from "../actions/execute";
import { becomeStatusCard, dateInput, openRequestAnswer } from "../actions/request";
import type { HandlerDeps } from "../turn";

/** The request form's `forRef` for a partner to invite: the invitee id, which carries the address. */
export const inviteRef = (email: string): string => inviteeId(email);
export const isInviteRef = (ref: string | undefined): ref is string =>
  ref !== undefined && inviteeEmail(ref) !== undefined;

/**
 * "invite tomas@fabrikam.com to ERP Project": the package's request form for the partner, once the
 * checks pass (the asker is internal, the domain is a connected organisation's, a policy allows its
 * users); otherwise why not. Nothing is stored until the form is submitted.
 */
export async function inviteAnswer(
  deps: HandlerDeps,
  actorId: UserId,
  email: string,
  query: string,
): Promise<CardMessage> {
  const index = await loadIndex(deps);
  const matches = matchPackages(
    query,
    index
      .packages()
      .filter((p) => !p.hidden)
      .map((p) => ({ package: p, catalogName: index.catalog(p.catalogId)?.name ?? "", resourceNames: [] })),
  );
  const pkg = matches[0]?.package;
  if (!pkg) {
    return noticeView(`No access package matches "${safeText(query, VIEW_LIMITS.title)}"`, [
      'Name the package, e.g. "invite tomas@fabrikam.com to ERP Project".',
    ]);
  }
  const checked = await checkInvitation(deps, { actorId, email, packageId: pkg.id, source: "chat:invite" });
  if (!checked.ok) return errorView(checked.error);
  const { plan } = checked.value;
  const policy = plan.policies[0]!;
  const ctx = await withNamedApprovers(deps, await loadViewContext(deps, [actorId]), [policy]);
  return requestFormView(ctx, {
    pkg,
    policy,
    forRef: inviteRef(plan.email),
    forName: `${plan.email} of ${plan.organization.name}, invited as a guest once approved`,
  });
}

/** Submit of an invitation form: the same checks again, then the request for the partner. */
export async function submitInviteAction(turn: ActionTurn, ref: string): Promise<ActionAnswer> {
  const { deps, actorId, data, context } = turn;
  const email = inviteeEmail(ref)!;
  const packageId = need(data.id("packageId"));
  const policyId = need(data.id("policyId"));
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
  const submitted = await submitInvitation(deps, {
    actorId,
    email,
    packageId,
    policyId,
    justification,
    answers,
    schedule: startAt || endAt ? { startAt, endAt } : undefined,
    source: "card:invite.submit",
  });
  if (!submitted.ok) {
    const open = await openRequestAnswer(turn, submitted.error);
    if (open) return open;
    const ctx = await loadViewContext(deps, [actorId]);
    const pkg = ctx.index.package(packageId);
    const policy = ctx.index.policy(policyId);
    if (submitted.error.problems?.length && pkg && policy) {
      return requestFormView(await withNamedApprovers(deps, ctx, [policy]), {
        pkg,
        policy,
        forRef: ref,
        forName: `${email}, invited as a guest once approved`,
        values,
        problems: submitted.error.problems,
      });
    }
    return errorView(submitted.error);
  }
  void submitted.value.followUp;
  return becomeStatusCard({ deps, context, actorId }, submitted.value.request);
}
