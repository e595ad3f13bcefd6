import type { ExtensionFailure } from "../ports/notification-views";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, packageName } from "./context";
import { noticeView } from "./notices";
import { LIMITS, safeText } from "./text";

/** To catalog owners: a custom extension could not be called, even after the retries. */
export function extensionFailedView(ctx: ViewContext, f: ExtensionFailure): CardMessage {
  return noticeView(
    `Extension "${safeText(f.extensionId, LIMITS.short)}" failed: ${packageName(ctx, f.packageId)}`,
    [
      `Access Desk could not tell the custom extension "${safeText(f.extensionId, LIMITS.short)}" about ${safeText(f.eventType, LIMITS.short)} (${safeText(f.subject, LIMITS.short)}): ${safeText(f.error, LIMITS.short)}.`,
      "It tried several times and has stopped. Check the endpoint and its secret; the audit trail has the entry (extension.failed).",
    ],
    "attention",
  );
}
