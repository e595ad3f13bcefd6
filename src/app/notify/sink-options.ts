import type { DeliveryLog } from "../../ports/deliveries";
import type { Logger } from "../../ports/logger";
import type { NotificationViews } from "../../ports/notification-views";
import type { Notifier } from "../../ports/notifier";
import type { SentMessageFinder } from "../../ports/sent-messages";
import type { AuditLog, DueWorkIndex, ReviewStore } from "../../ports/stores";
import type { RequestCardSources } from "../queries/approval-card";
import type { UnreachableApprovers } from "../escalate-unreachable";
import type { ApprovalDigestSettings } from "./approval-digests";
import type { TurnsAnswering } from "../../ports/answers";

/** What the notification sink reads, renders with, sends through and records in. */
export interface NotificationSinkOptions {
  sources: RequestCardSources & { reviews: ReviewStore };
  notifier: Notifier;
  views: NotificationViews;
  /** What journaled batches already delivered. */
  deliveries: DeliveryLog;
  /** Where a journaled batch's item is removed once all of it is done. */
  due: DueWorkIndex;
  audit: AuditLog;
  logger: Logger;
  /** Approval cards for busy approvers coalesced into one digest; off unless given. */
  digest?: ApprovalDigestSettings;
  /** Approval cards refused for good: the stage's fallback approvers step in (`escalateUnreachable`). */
  unreachableApprovers?: UnreachableApprovers;
  /**
   * Reads the chat for a message a batch run again has no delivery-log row for (Graph, or the local
   * channel); without it only remembered card copies are checked, and such a message may show twice.
   */
  sentMessages?: SentMessageFinder;
  /** Notices start once no turn is being answered (the bot's `AnswersFirst`); without it, at once. */
  answersFirst?: TurnsAnswering;
}
