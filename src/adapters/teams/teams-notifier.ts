import {
  type Activity,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  MessageFactory,
  TurnContext,
} from "botbuilder";
import type { ChannelRef, UserId } from "../../domain/model";
import type { AppInstaller } from "../../ports/app-installer";
import type { ConversationStore } from "../../ports/conversations";
import type { Logger } from "../../ports/logger";
import { type Notifier, type OutgoingCard, type SentCard, SupersededNotice } from "../../ports/notifier";
import { ConversationPacer, type PacedCall } from "./pacing";
import { WaitingUpdates } from "./waiting-updates";
import { WaitingProgress } from "./waiting-progress";
import { inTurn } from "./in-turn";
import { referenceAfterRefusal } from "./reference-after-refusal";
import { stampDeliveryKey } from "../shared/delivery-key";

export interface TeamsNotifierOptions {
  adapter: CloudAdapter;
  /** Empty in local mode. */
  appId: string;
  tenantId?: string;
  conversations: ConversationStore;
  logger: Logger;
  /** Where to open a conversation when nothing was saved for the user or team (the Teams region URL). */
  defaultServiceUrl?: string;
  pacer?: ConversationPacer;
  /** Installs the app for someone Teams refuses a first message to (403); without it a 403 stands. */
  installer?: AppInstaller;
}

/** The activity that carries a card, with the summary Teams shows in notifications. */
export function cardActivity(message: OutgoingCard): Partial<Activity> {
  const card = message.deliveryKey ? stampDeliveryKey(message.card, message.deliveryKey) : message.card;
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = message.summary;
  return activity;
}

/** Proactive messages through botbuilder: continue a saved conversation or create one. */
export class TeamsNotifier implements Notifier {
  private readonly pacer: ConversationPacer;
  private readonly waitingUpdates = new WaitingUpdates();
  private readonly waitingProgress = new WaitingProgress();

  constructor(private readonly options: TeamsNotifierOptions) {
    this.pacer = options.pacer ?? new ConversationPacer();
  }

  async sendToUser(userId: UserId, message: OutgoingCard, subject?: string): Promise<SentCard | undefined> {
    const activity = cardActivity(message);
    // The newest message about a request is what the person needs: one still waiting goes moot.
    if (message.about && this.waitingProgress.overtake(userId, message.about)) this.pacer.recheck();
    const waiting =
      message.progress && message.about ? this.waitingProgress.wait(userId, message.about) : undefined;
    const call: PacedCall = message.progress
      ? { kind: "progress", ...(waiting ? { wanted: waiting.wanted } : {}) }
      : { kind: "message" };
    const saved = await this.options.conversations.getUserReference(userId);
    let sent: { conversationId: string; activityId: string } | undefined;
    try {
      sent = await this.sendWith(userId, saved, activity, call);
    } catch (error) {
      if (error instanceof SupersededNotice) throw error;
      const again = await referenceAfterRefusal(this.options.conversations, userId, saved, error);
      try {
        // The remembered reference was out of date: once more with the one storage holds.
        if (again) sent = await this.sendWith(userId, again.reference, activity, call);
        else throw error;
      } catch (last) {
        sent = await this.installAndSend(userId, activity, last, call);
      }
    } finally {
      if (waiting) waiting.done();
    }
    if (!sent) return undefined;
    const card: SentCard = {
      userId,
      conversationId: sent.conversationId,
      activityId: sent.activityId,
      subject: subject ?? "",
      ...(message.deliveryKey ? { deliveryKey: message.deliveryKey } : {}),
    };
    // Sent by a notice batch, beside the other copies of its card: their rows may share a write.
    if (subject) await this.options.conversations.rememberCard(card, { besideOthers: true });
    return card;
  }

  async sendToChannel(channel: ChannelRef, message: OutgoingCard): Promise<void> {
    const team = await this.options.conversations.getTeam(channel.teamId);
    const serviceUrl = (team?.reference.serviceUrl as string | undefined) ?? this.options.defaultServiceUrl;
    if (!serviceUrl) {
      this.options.logger.warn(
        { teamId: channel.teamId },
        "no conversation saved for the team; channel post skipped",
      );
      return;
    }
    const activity = cardActivity(message);
    // A channel post tells the team; nobody waits on it: it goes after people's messages.
    await this.pacer.run(
      channel.channelId,
      () =>
        this.options.adapter.createConversationAsync(
          this.options.appId,
          "msteams",
          serviceUrl,
          "",
          {
            isGroup: true,
            channelData: { channel: { id: channel.channelId }, ...this.tenant() },
            activity: activity as Activity,
            bot: undefined as never,
            members: [],
            ...(this.options.tenantId ? { tenantId: this.options.tenantId } : {}),
          },
          async () => undefined,
        ),
      1,
      "progress",
    );
  }

  /** Every copy at once, each in its own conversation's queue: one slow chat delays only its copy. */
  async updateCards(subject: string, message: OutgoingCard): Promise<number> {
    const copies = await this.options.conversations.listCards(subject);
    const activity = cardActivity(message);
    let updated = 0;
    let unsettled = 0;
    await Promise.all(
      copies.map(async (copy) => {
        const reference = await this.referenceFor(copy);
        if (!reference) return;
        try {
          await this.waitingUpdates.update(`${copy.conversationId}|${copy.activityId}`, activity, (latest) =>
            this.pacer.run(
              copy.conversationId,
              () =>
                inTurn(
                  (logic) =>
                    this.options.adapter.continueConversationAsync(this.options.appId, reference, logic),
                  async (context) => {
                    await context.updateActivity({
                      ...latest(),
                      id: copy.activityId,
                      conversation: reference.conversation,
                    });
                  },
                ),
              1,
              "update",
            ),
          );
          updated += 1;
        } catch (error) {
          // A copy that is gone (deleted message, removed chat) stays as it is; anything else is
          // tried again with the batch, since an update is idempotent.
          const status = (error as { statusCode?: unknown } | null)?.statusCode;
          if (status !== 403 && status !== 404) unsettled += 1;
          // The person's remembered reference may be what is out of date: read it again next time.
          else if (copy.userId) this.options.conversations.forgetUserReference?.(copy.userId);
          this.options.logger.warn(
            { err: error, subject, conversationId: copy.conversationId },
            "card copy not updated",
          );
        }
      }),
    );
    if (unsettled > 0) throw new Error(`${unsettled} copies of ${subject} were not updated`);
    return updated;
  }

  private sendWith(
    userId: UserId,
    saved: Record<string, unknown> | undefined,
    activity: Partial<Activity>,
    call: PacedCall,
  ): Promise<{ conversationId: string; activityId: string } | undefined> {
    return saved
      ? this.continueAndSend(saved as Partial<ConversationReference>, activity, call)
      : this.createAndSend(userId, activity, call);
  }

  /**
   * Teams answers 403 when the app is not installed for the person: install it through Graph and
   * open the chat again. Refused (or no installer): the 403 stands, and the notification layer
   * reports the person as unreachable.
   */
  private async installAndSend(
    userId: UserId,
    activity: Partial<Activity>,
    error: unknown,
    call: PacedCall,
  ): Promise<{ conversationId: string; activityId: string } | undefined> {
    const status = (error as { statusCode?: unknown } | null)?.statusCode;
    if (status !== 403 || !this.options.installer) throw error;
    const installed = await this.options.installer.install(userId);
    if (!installed.installed) throw error;
    this.options.logger.info({ userId }, "app installed for the user; sending again");
    return this.createAndSend(userId, activity, call);
  }

  private tenant(): Record<string, unknown> {
    return this.options.tenantId ? { tenant: { id: this.options.tenantId } } : {};
  }

  private async referenceFor(copy: SentCard): Promise<Partial<ConversationReference> | undefined> {
    const saved = copy.userId ? await this.options.conversations.getUserReference(copy.userId) : undefined;
    const serviceUrl = (saved?.serviceUrl as string | undefined) ?? this.options.defaultServiceUrl;
    if (!serviceUrl) return undefined;
    const base = (saved ?? { channelId: "msteams", serviceUrl }) as Partial<ConversationReference>;
    return {
      ...base,
      conversation: {
        ...(base.conversation ?? {}),
        id: copy.conversationId,
      } as ConversationReference["conversation"],
    };
  }

  private async continueAndSend(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
    call: PacedCall,
  ): Promise<{ conversationId: string; activityId: string } | undefined> {
    const conversationId = reference.conversation?.id ?? "";
    let activityId: string | undefined;
    await this.pacer.run(
      conversationId,
      () =>
        inTurn(
          (logic) => this.options.adapter.continueConversationAsync(this.options.appId, reference, logic),
          async (context) => {
            activityId = (await context.sendActivity(activity))?.id;
          },
        ),
      1,
      call.kind,
      call.wanted,
    );
    return activityId ? { conversationId, activityId } : undefined;
  }

  /** A first message to someone who never wrote to the bot: open the 1:1 chat, then remember it. */
  private async createAndSend(
    userId: UserId,
    activity: Partial<Activity>,
    call: PacedCall,
  ): Promise<{ conversationId: string; activityId: string } | undefined> {
    const serviceUrl = this.options.defaultServiceUrl;
    if (!serviceUrl) {
      this.options.logger.warn(
        { userId },
        "no conversation saved for the user and no service URL; message skipped",
      );
      return undefined;
    }
    let result: { conversationId: string; activityId: string } | undefined;
    await this.pacer.run(
      `new:${userId}`,
      () =>
        inTurn(
          (logic) =>
            this.options.adapter.createConversationAsync(
              this.options.appId,
              "msteams",
              serviceUrl,
              "",
              {
                isGroup: false,
                members: [{ id: userId, name: "" }],
                channelData: this.tenant(),
                bot: undefined as never,
                ...(this.options.tenantId ? { tenantId: this.options.tenantId } : {}),
              },
              logic,
            ),
          async (context) => {
            const reference = TurnContext.getConversationReference(context.activity);
            const sent = await context.sendActivity(activity);
            const conversationId = reference.conversation?.id ?? "";
            if (sent?.id && conversationId) result = { conversationId, activityId: sent.id };
            await this.options.conversations.saveUserReference(userId, {
              ...(reference as unknown as Record<string, unknown>),
              user: { id: userId, aadObjectId: userId },
            });
          },
        ),
      1,
      call.kind,
      call.wanted,
    );
    return result;
  }
}
