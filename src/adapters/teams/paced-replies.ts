import type { Activity, MiddlewareHandler } from "botbuilder";
import type { ConversationPacer } from "./pacing";

/** Activities that never reach the Bot Connector: the invoke's HTTP answer, a pause, an emulator trace. */
const NOT_A_CALL = new Set(["invokeResponse", "delay", "trace"]);

/**
 * Botbuilder middleware: every call a turn makes into its conversation (replies, updates, deletes)
 * waits for the same pacer as the notifier's proactive sends, so a person's own turns and the
 * notices sent to them share Teams' per-conversation limits. The notifier's sends pass through it
 * at once (see ConversationPacer.run): they took their slot before the call.
 */
export function pacedReplies(pacer: ConversationPacer): MiddlewareHandler {
  return async (context, next) => {
    const conversationOf = (activity?: Partial<Activity>) =>
      activity?.conversation?.id ?? context.activity.conversation?.id;
    context.onSendActivities(async (_ctx, activities, send) => {
      const calls = activities.filter((a) => !NOT_A_CALL.has(a.type ?? "")).length;
      const conversationId = conversationOf(activities[0]);
      if (calls === 0 || !conversationId) return send();
      return pacer.run(conversationId, send, calls);
    });
    context.onUpdateActivity(async (_ctx, activity, update) => {
      const conversationId = conversationOf(activity);
      return conversationId ? pacer.run(conversationId, update, 1, "update") : update();
    });
    context.onDeleteActivity(async (_ctx, reference, remove) => {
      const conversationId = reference.conversation?.id ?? context.activity.conversation?.id;
      return conversationId ? pacer.run(conversationId, remove, 1, "update") : remove();
    });
    await next();
  };
}
