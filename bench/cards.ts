import type { LocalChannel, RecordedActivity } from "../src/local-channel";

/** The Adaptive Card a recorded bot message carries (its current version). */
export function cardOf(recorded: RecordedActivity | undefined): unknown {
  const attachments = (recorded?.activity.attachments ?? []) as Array<{ content?: unknown }>;
  return attachments[0]?.content;
}

/** The data of the card's Action.Execute with this verb (the automatic `refresh` action excluded). */
export function actionData(card: unknown, verb: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown, depth: number): void => {
    if (found || depth > 40) return;
    if (Array.isArray(node)) node.forEach((n) => walk(n, depth + 1));
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "Action.Execute" && n.verb === verb) {
        found = (n.data ?? {}) as Record<string, unknown>;
        return;
      }
      for (const [key, value] of Object.entries(n)) if (key !== "refresh") walk(value, depth + 1);
    }
  };
  walk(card, 0);
  return found;
}

/** The newest bot message of the user's chat that has a button with this verb. */
export function latestWithAction(channel: LocalChannel, userId: string, verb: string) {
  const list = channel.activities(channel.conversationOf(userId));
  for (let i = list.length - 1; i >= 0; i--) {
    const data = actionData(cardOf(list[i]), verb);
    if (data) return { id: list[i]!.id, data };
  }
  return undefined;
}

type Match = (data: Record<string, unknown>) => boolean;

/**
 * Waits for bot messages with a given button, driven by the channel's events (no polling of
 * every conversation): each waiter checks only messages created in its user's chat.
 */
export class CardWaiter {
  private readonly waiting = new Map<
    string,
    Array<{ verb: string; match: Match; done: (hit: { id: string; data: Record<string, unknown> }) => void }>
  >();
  private readonly off: () => void;

  constructor(private readonly channel: LocalChannel) {
    this.off = channel.store.onEvent((event) => {
      if (event.type !== "activity" || event.kind !== "created") return;
      const list = this.waiting.get(event.conversationId);
      if (!list?.length) return;
      const card = cardOf(channel.store.get(event.activityId));
      for (const w of [...list]) {
        const data = actionData(card, w.verb);
        if (data && w.match(data)) {
          list.splice(list.indexOf(w), 1);
          w.done({ id: event.activityId, data });
        }
      }
    });
  }

  wait(
    userId: string,
    verb: string,
    match: Match,
    timeoutMs: number,
  ): Promise<{ id: string; data: Record<string, unknown> }> {
    const conversationId = this.channel.conversationOf(userId);
    // Already there?
    for (const a of this.channel.activities(conversationId)) {
      const data = actionData(cardOf(a), verb);
      if (data && match(data)) return Promise.resolve({ id: a.id, data });
    }
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(conversationId) ?? [];
      this.waiting.set(conversationId, list);
      const timer = setTimeout(() => {
        list.splice(list.indexOf(entry), 1);
        reject(new Error(`no ${verb} card for ${userId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry = {
        verb,
        match,
        done: (hit: { id: string; data: Record<string, unknown> }) => {
          clearTimeout(timer);
          resolve(hit);
        },
      };
      list.push(entry);
    });
  }

  close(): void {
    this.off();
  }
}
