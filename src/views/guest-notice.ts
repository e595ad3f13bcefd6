import type { CardMessage } from "../ports/notifier";
import type { ViewContext } from "../ports/read-models";
import { noticeView } from "./notices";
import { LIMITS, safeText } from "./text";

/** Told to a guest's internal sponsors when the guest lifecycle blocked or deleted the account. */
export function guestAccountChangedView(
  ctx: ViewContext,
  change: { displayName: string; organizationId: string; action: "block" | "delete"; reason: string },
): CardMessage {
  const name = safeText(change.displayName, LIMITS.name);
  const org = safeText(
    ctx.index.connectedOrganization(change.organizationId)?.name ?? change.organizationId,
    LIMITS.name,
  );
  return noticeView(
    change.action === "block" ? `${name} can no longer sign in` : `${name}'s guest account was deleted`,
    [
      safeText(change.reason, LIMITS.short),
      change.action === "block"
        ? `You sponsor this guest of ${org}. If they need access again, they can be invited to an access package before the account is deleted.`
        : `You sponsored this guest of ${org}. Invite them again if they need access later.`,
    ],
    "attention",
  );
}
