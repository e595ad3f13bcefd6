import type { Instant } from "../../domain/model";
import type { FoundMessage, SentMessageFinder, SentMessagePlace } from "../../ports/sent-messages";
import { type ChatMessageJson, messageWithKey } from "../shared/delivery-key";

const TIMEOUT_MS = 5_000;

/**
 * Local mode's look into the chat: the local channel's read route (`<serviceUrl>/messages/...`,
 * loopback only), which answers as Graph's chatMessage list does. Any failure throws, and the
 * caller posts: at-least-once stays the rule.
 */
export class LocalSentMessages implements SentMessageFinder {
  constructor(private readonly serviceUrl: string) {}

  async find(
    place: SentMessagePlace,
    deliveryKey: string,
    _since: Instant,
  ): Promise<FoundMessage | undefined> {
    const where =
      "userId" in place
        ? `users/${encodeURIComponent(place.userId)}`
        : `channels/${encodeURIComponent(place.channel.channelId)}`;
    const url = `${this.serviceUrl.replace(/\/+$/, "")}/messages/${where}?$top=20`;
    const answer = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!answer.ok) throw new Error(`reading ${where} answered ${answer.status}`);
    const messages =
      ((await answer.json()) as { value?: (ChatMessageJson & { conversationId?: string })[] }).value ?? [];
    const id = messageWithKey(messages, deliveryKey);
    if (!id) return undefined;
    const conversationId = messages.find((m) => m.id === id)?.conversationId;
    return conversationId ? { activityId: id, conversationId } : { activityId: id };
  }
}
