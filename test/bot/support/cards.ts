import type { LocalChannel } from "../../../src/local-channel";
import type { RecordedActivity } from "../../../src/local-channel";

export type Card = Record<string, unknown>;

/** The Adaptive Card of a recorded message (its current version). */
export function cardOf(recorded: RecordedActivity | undefined): Card | undefined {
  const attachments = (recorded?.activity.attachments ?? []) as Array<{ content?: Card }>;
  return attachments[0]?.content;
}

/** All text a person would read on a card: TextBlocks and facts. */
export function textOf(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "TextBlock" && typeof n.text === "string") parts.push(n.text);
      if (typeof n.title === "string" && typeof n.value === "string") parts.push(`${n.title}: ${n.value}`);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return parts.join("\n");
}

/** The data of the card's Action.Execute with this verb. */
export function actionData(card: unknown, verb: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "Action.Execute" && n.verb === verb && n !== (node as { refresh?: unknown }).refresh) {
        found = (n.data ?? {}) as Record<string, unknown>;
        return;
      }
      Object.entries(n).forEach(([key, value]) => key !== "refresh" && walk(value));
    }
  };
  walk(card);
  return found;
}

/** The newest bot message in the user's chat whose card mentions `text`. */
export function latestCard(
  channel: LocalChannel,
  userId: string,
  text: string | RegExp,
): RecordedActivity | undefined {
  const list = channel.activities(channel.conversationOf(userId));
  return [...list].reverse().find((a) => {
    const t = textOf(cardOf(a));
    return typeof text === "string" ? t.includes(text) : text.test(t);
  });
}

/** The card an invoke answered with. */
export function invokeCard(result: { status: number; body: unknown }): Card | undefined {
  const body = result.body as { type?: string; value?: Card } | undefined;
  return body?.type === "application/vnd.microsoft.card.adaptive" ? body.value : undefined;
}

/** The newest bot message in the user's chat that has a button with this verb. */
export function latestWithAction(
  channel: LocalChannel,
  userId: string,
  verb: string,
): RecordedActivity | undefined {
  const list = channel.activities(channel.conversationOf(userId));
  return [...list].reverse().find((a) => actionData(cardOf(a), verb) !== undefined);
}
