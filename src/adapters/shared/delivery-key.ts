/**
 * The delivery key a card of a journaled batch carries (`<batch id>/<event>|<kind>|<recipient>`),
 * so a batch run again can find in the chat a message whose delivery-log row was lost. It sits in
 * the card's top-level `metadata` (an Adaptive Card property that renderers do not draw): Teams keeps
 * the card JSON as sent, and Graph returns it in `chatMessage.attachments[].content`.
 */
export const DELIVERY_KEY_FIELD = "accessDeskDelivery";

/** The card with the key in its `metadata`; the card itself is not changed. */
export function stampDeliveryKey(card: Record<string, unknown>, key: string): Record<string, unknown> {
  const metadata = (card.metadata as Record<string, unknown> | undefined) ?? {};
  return { ...card, metadata: { ...metadata, [DELIVERY_KEY_FIELD]: key } };
}

/** The key a card carries, if any. */
export function deliveryKeyOf(card: unknown): string | undefined {
  const metadata = (card as { metadata?: Record<string, unknown> } | null)?.metadata;
  const key = metadata?.[DELIVERY_KEY_FIELD];
  return typeof key === "string" ? key : undefined;
}

/** A message as Graph's chatMessage has it (the local channel's read route answers the same shape). */
export interface ChatMessageJson {
  id?: string;
  createdDateTime?: string;
  messageType?: string;
  from?: { application?: unknown; user?: unknown } | null;
  attachments?: { contentType?: string; content?: unknown }[];
}

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

function cardOf(content: unknown): unknown {
  if (typeof content !== "string") return content;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The id of the first message whose Adaptive Card carries `key`. No time filter: the key names one
 * send of one batch, and a test clock may stand apart from the chat's own timestamps.
 */
export function messageWithKey(messages: readonly ChatMessageJson[], key: string): string | undefined {
  for (const message of messages) {
    if (!message.id) continue;
    for (const attachment of message.attachments ?? []) {
      if (attachment.contentType !== ADAPTIVE_CARD) continue;
      if (typeof attachment.content === "string" && !attachment.content.includes(key)) continue;
      if (deliveryKeyOf(cardOf(attachment.content)) === key) return message.id;
    }
  }
  return undefined;
}
