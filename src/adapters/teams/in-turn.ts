import type { TurnContext } from "botbuilder";

/**
 * Runs `logic` in a proactive turn and rethrows what it threw. The adapter hands an error inside a
 * turn to the bot's turn-error handler, which only logs it: a failed send or update would look
 * done, and the message would be lost instead of tried again.
 */
export async function inTurn(
  start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}
