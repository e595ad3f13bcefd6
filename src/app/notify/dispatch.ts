import type { ChannelRef, UserId } from "../../domain/model";
import type { DeliveryLog } from "../../ports/deliveries";
import type { EffectBatch } from "../../ports/events";
import type { Logger } from "../../ports/logger";
import { type Notifier, type OutgoingCard, SupersededNotice } from "../../ports/notifier";
import type { SentUpdates } from "./sent-updates";
import {
  type FoundSend,
  type LookBeforeResend,
  lookBeforeResend,
  type UnrecordedSends,
} from "./look-before-resend";
import type { SentMessagePlace } from "../../ports/sent-messages";
import { isInviteeId } from "../../domain/external/invitation";
import type { SendsInFlight } from "./sends-in-flight";

/** A message refused for good: the app is not installed for the person (403), or the chat is gone (404). */
export interface Undeliverable {
  to: string;
  status: number;
  eventIndex: number;
}

export interface DispatchOptions {
  notifier: Notifier;
  deliveries: DeliveryLog;
  logger: Logger;
  now: () => string;
  /** The journaled batch being run; without one nothing is logged or retried. */
  batch?: EffectBatch;
  /** Keys the delivery log says went out already. */
  done: ReadonlySet<string>;
  /** The batch is run again by the sweep (its process may have died). */
  replaying?: boolean;
  /** What each subject's copies were last updated with: the same content is not sent again. */
  sentUpdates?: SentUpdates;
  /** On a replay, a send without a delivery-log row is looked for before it is posted again. */
  look?: LookBeforeResend;
  /** Sends of this process that went out while their row's write failed: recorded, never posted again. */
  unrecorded?: UnrecordedSends;
  /** Sends of this process still out: a run of the same batch waits for them, not posting twice. */
  inFlight?: SendsInFlight;
}

/** The pause before a failed delivery-log write is tried once more (storage's own retries are spent). */
const RECORD_RETRY_MS = 500;

type Sent = { conversationId?: string; activityId: string } | undefined;

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
};

/**
 * The sends of one batch. Each goes to its conversation's queue at once (the notifier paces and
 * times out per conversation), so a slow or hung chat holds up only itself; `settle` waits for all.
 * Sends of a journaled batch are keyed by event and recipient and logged when they went out, so a
 * batch run again skips them.
 */
export class Dispatch {
  private readonly pending: Promise<void>[] = [];
  private eventIndex = 0;
  /** Something failed that trying again may fix: the batch stays due. */
  retry = false;
  /** Requests whose approval this batch completes (it holds their RequestApproved or RequestScheduled). */
  approvedInBatch: ReadonlySet<string> = new Set();
  readonly undeliverable: Undeliverable[] = [];

  constructor(private readonly options: DispatchOptions) {}

  /** Which event of the batch the next sends belong to. */
  forEvent(index: number): void {
    this.eventIndex = index;
  }

  /** A failure while deciding what to send (a read that failed): the batch must run again. */
  failed(error: unknown, what: string): void {
    this.retry = true;
    this.options.logger.warn({ err: error, what }, "notification not planned; it is tried again");
  }

  send(userId: UserId, message: OutgoingCard, subject?: string): void {
    this.sendKeyed(`${this.eventIndex}|user|${userId}`, userId, message, subject);
  }

  /**
   * A notice that `personId` could not be reached by this event's message: keyed apart from the
   * event's own sends (the same person may get both), so a run of the batch again finds it logged.
   */
  sendAboutUnreachable(personId: string, userId: UserId, message: OutgoingCard): void {
    this.sendKeyed(`${this.eventIndex}|unreachable|${personId}|${userId}`, userId, message);
  }

  private sendKeyed(key: string, userId: UserId, message: OutgoingCard, subject?: string): void {
    // A partner not invited yet has no account, so no chat: their sponsor is told instead.
    if (isInviteeId(userId)) return;
    this.deliver(
      key,
      userId,
      (deliveryKey) => this.options.notifier.sendToUser(userId, { ...message, deliveryKey }, subject),
      { userId },
      subject,
    );
  }

  /**
   * An approval card that a digest stands for: out once the digest listing it went out, logged
   * under the card's own key, so a run after either path counts it as sent.
   */
  viaDigest(
    userId: UserId,
    send: () => Promise<{ conversationId: string; activityId: string } | undefined>,
  ): void {
    this.deliver(`${this.eventIndex}|user|${userId}`, userId, send);
  }

  /** True when the batch runs again (after a crash or a failed send). */
  get replaying(): boolean {
    return this.options.done.size > 0 || this.options.replaying === true;
  }

  channel(channel: ChannelRef, message: OutgoingCard): void {
    this.deliver(
      `${this.eventIndex}|channel|${channel.channelId}`,
      channel.channelId,
      async (deliveryKey) => {
        await this.options.notifier.sendToChannel(channel, { ...message, deliveryKey });
        return undefined;
      },
      { channel },
    );
  }

  /**
   * Re-renders every remembered copy; an update is idempotent, so it is not logged. An update with
   * the content the copies were last given is skipped.
   */
  update(subject: string, message: OutgoingCard): void {
    const { sentUpdates } = this.options;
    if (sentUpdates && !sentUpdates.claim(subject, message)) return;
    this.pending.push(
      this.options.notifier.updateCards(subject, message).then(
        () => undefined,
        (error: unknown) => {
          sentUpdates?.forget(subject, message);
          this.failed(error, `update ${subject}`);
        },
      ),
    );
  }

  /** Waits for every send; true when the batch must run again. */
  async settle(): Promise<boolean> {
    await Promise.all(this.pending);
    return this.retry;
  }

  /**
   * Sends once per batch and key. A journaled send carries its delivery key (`<batch>/<key>`) in the
   * card; when the batch runs again and the log has no row for it, it is looked for first
   * (remembered copies, then the chat): found, it is recorded instead of posted twice.
   */
  private deliver(
    key: string,
    to: string,
    send: (deliveryKey: string | undefined) => Promise<Sent>,
    place?: SentMessagePlace,
    subject?: string,
  ): void {
    const { batch, done, look, unrecorded, inFlight } = this.options;
    if (done.has(key)) return;
    const eventIndex = this.eventIndex;
    const deliveryKey = batch ? `${batch.id}/${key}` : undefined;
    this.pending.push(
      (async () => {
        let sent: Sent;
        try {
          const earlier = deliveryKey ? await inFlight?.outcome(deliveryKey) : undefined;
          const kept = earlier ?? (deliveryKey ? unrecorded?.get(deliveryKey) : undefined);
          const found: FoundSend | undefined =
            !kept && batch && deliveryKey && place && look && this.replaying
              ? await lookBeforeResend(look, { place, deliveryKey, since: batch.at, subject })
              : undefined;
          const post = () =>
            deliveryKey && inFlight ? inFlight.track(deliveryKey, send(deliveryKey)) : send(deliveryKey);
          sent = kept ? kept.sent : (found ?? (await post()));
        } catch (error) {
          return this.notSent(error, key, to, eventIndex);
        }
        if (batch && deliveryKey) await this.recordSent(batch.id, key, deliveryKey, sent);
      })().catch((error: unknown) => this.failed(error, `record ${key}`)),
    );
  }

  /**
   * The message is out: its row is written, and written again after a pause if storage refused it.
   * Meanwhile the send is kept in this process, so a run of the batch here records it instead of
   * posting it again (a run elsewhere, after a crash, finds it in the chat).
   */
  private async recordSent(batchId: string, key: string, deliveryKey: string, sent: Sent): Promise<void> {
    const { deliveries, now, unrecorded } = this.options;
    const row = () =>
      deliveries.record(batchId, {
        key,
        status: "sent",
        at: now(),
        ...(sent ? { activityId: sent.activityId } : {}),
        ...(sent?.conversationId ? { conversationId: sent.conversationId } : {}),
      });
    try {
      await row();
    } catch {
      unrecorded?.keep(deliveryKey, sent);
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
      await row();
    }
    unrecorded?.forget(deliveryKey);
  }

  private async notSent(error: unknown, key: string, to: string, eventIndex: number): Promise<void> {
    const { batch, deliveries, logger, now } = this.options;
    if (error instanceof SupersededNotice) {
      // Done for good: sent on a run of the batch again, it would come after the news that overtook it.
      if (batch) await deliveries.record(batch.id, { key, status: "superseded", at: now() });
      return;
    }
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      this.undeliverable.push({ to, status, eventIndex });
      const reason = status === 403 ? "the app is not installed for them" : "the conversation is gone";
      logger.warn({ to, status }, `message not deliverable: ${reason}`);
      if (batch) await deliveries.record(batch.id, { key, status: "undeliverable", reason, at: now() });
      return;
    }
    this.retry = true;
    logger.warn({ err: error, to }, "message not sent; it is tried again");
  }
}
