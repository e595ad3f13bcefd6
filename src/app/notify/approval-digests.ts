import type { UserId } from "../../domain/model";
import type { DeliveryLog, DeliveryRecord } from "../../ports/deliveries";
import type { Logger } from "../../ports/logger";
import type { NotificationViews } from "../../ports/notification-views";
import type { Notifier } from "../../ports/notifier";
import { type DigestSources, approvalsDigest } from "../queries/approvals-digest";

/** When approval cards for one approver are coalesced into one digest card. */
export interface ApprovalDigestSettings {
  /** How long a digest waits for more requests before it goes out (posted or updated). */
  windowMs: number;
  /** This many approval cards for one approver within the window make a digest; 0 turns it off. */
  threshold: number;
  /** A digest is updated in place, not posted again, while its last send is this recent. */
  reuseMs: number;
}

export const DEFAULT_APPROVAL_DIGEST: ApprovalDigestSettings = {
  windowMs: 3_000,
  threshold: 3,
  reuseMs: 5 * 60_000,
};

export interface ApprovalDigestOptions {
  sources: DigestSources;
  notifier: Notifier;
  views: NotificationViews;
  /** Where each approver's open digest is registered (a partition of its own per approver). */
  deliveries: DeliveryLog;
  logger: Logger;
  settings: ApprovalDigestSettings;
  /** Wall-clock milliseconds: windows are about Teams' rate limits, which run on real time. */
  nowMs?: () => number;
}

/** Where the digest went: what the delivery log records for each approval card it stands for. */
export interface DigestSent {
  conversationId: string;
  activityId: string;
}

interface Slot {
  promise: Promise<DigestSent | undefined>;
}

/** The delivery-log partition that registers an approver's open digest. */
export const digestRegister = (approverId: UserId) => `digest-${approverId}`;
/** Every copy of one digest card (one per burst) is remembered under this subject. */
export const digestSubject = (approverId: UserId, openedAt: string) => `digest:${approverId}:${openedAt}`;

/**
 * Coalesces approval cards for busy approvers: when `threshold` cards for one approver fall within
 * `windowMs`, they are not sent one by one; one digest card listing every request waiting for the
 * approver goes out once the window closes, and is updated in place while more arrive.
 *
 * Crash safety comes from the journal, not from here: each approval card the digest stands for
 * is a send of its journaled batch, and the batch stays due until the digest that lists the
 * request went out (the delivery log then records the digest's activity for it). A batch run
 * again after a crash finds the approver's digest in the register (`digest-<approver>` in the
 * delivery log: when it was opened, when it was last sent) and updates that card instead of
 * posting another. The register is written before the post, and the card is remembered under a
 * subject naming the opening, so a run after a crash between the two finds the copy or posts it.
 */
export class ApprovalDigests {
  private readonly arrivals = new Map<UserId, number[]>();
  private readonly waiting = new Map<UserId, Slot>();
  /** Last send of each approver's digest by this process (wall clock). */
  private readonly lastSent = new Map<UserId, number>();
  private readonly chains = new Map<UserId, Promise<unknown>>();

  constructor(private readonly options: ApprovalDigestOptions) {}

  private now(): number {
    return this.options.nowMs?.() ?? Date.now();
  }

  /**
   * Whether this approval card goes into the approver's digest: a burst (this card makes
   * `threshold` within the window), a digest already waiting or sent a moment ago, or, when a
   * batch runs again after a crash, a digest the register says is open.
   */
  async wants(approverId: UserId, replaying: boolean): Promise<boolean> {
    const { threshold, windowMs, reuseMs } = this.options.settings;
    if (threshold <= 0) return false;
    const now = this.now();
    const recent = (this.arrivals.get(approverId) ?? []).filter((t) => now - t < windowMs);
    recent.push(now);
    this.arrivals.set(approverId, recent.slice(-threshold));
    if (this.waiting.has(approverId)) return true;
    if (now - (this.lastSent.get(approverId) ?? -Infinity) < reuseMs) return true;
    if (recent.length >= threshold) return true;
    if (!replaying) return false;
    const open = await this.register(approverId);
    return open !== undefined && now - Date.parse(open.sentAt) < reuseMs;
  }

  /** Resolves once a digest listing the approver's waiting requests went out. */
  include(approverId: UserId): Promise<DigestSent | undefined> {
    const slot = this.waiting.get(approverId);
    if (slot) return slot.promise;
    const promise = new Promise<void>((resolve) => setTimeout(resolve, this.options.settings.windowMs)).then(
      () => {
        // Later arrivals start the next slot; one approver's digests go out one after another.
        this.waiting.delete(approverId);
        const previous = this.chains.get(approverId) ?? Promise.resolve();
        const run = previous.catch(() => undefined).then(() => this.send(approverId));
        this.chains.set(approverId, run);
        void run.finally(() => this.chains.get(approverId) === run && this.chains.delete(approverId));
        return run;
      },
    );
    this.waiting.set(approverId, { promise });
    return promise;
  }

  private async register(approverId: UserId): Promise<{ openedAt: string; sentAt: string } | undefined> {
    const rows = await this.options.deliveries.listBatch(digestRegister(approverId));
    const opened = rows.find((r) => r.key === "opened");
    const sent = rows.find((r) => r.key === "sent");
    return opened ? { openedAt: opened.at, sentAt: sent?.at ?? opened.at } : undefined;
  }

  private async send(approverId: UserId): Promise<DigestSent | undefined> {
    const { sources, notifier, views, deliveries, settings } = this.options;
    const model = await approvalsDigest(sources, approverId);
    const message = views.approvalsDigest(model);
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    const open = await this.register(approverId);
    const reuse = open && nowMs - Date.parse(open.sentAt) < settings.reuseMs ? open : undefined;
    let sent: DigestSent | undefined;
    if (reuse) {
      const subject = digestSubject(approverId, reuse.openedAt);
      const copies = await sources.conversations.listCards(subject);
      if (copies.length > 0) {
        await notifier.updateCards(subject, message);
        sent = { conversationId: copies[0]!.conversationId, activityId: copies[0]!.activityId };
      } else sent = await notifier.sendToUser(approverId, message, subject);
    } else {
      // Nothing waits any more and no digest is open: there is nothing to tell.
      if (model.requests.length === 0) return undefined;
      await deliveries.record(digestRegister(approverId), record("opened", at));
      sent = await notifier.sendToUser(approverId, message, digestSubject(approverId, at));
    }
    this.lastSent.set(approverId, nowMs);
    await deliveries.record(digestRegister(approverId), { ...record("sent", at), ...(sent ?? {}) });
    return sent;
  }
}

const record = (key: string, at: string): DeliveryRecord => ({ key, status: "sent", at });
