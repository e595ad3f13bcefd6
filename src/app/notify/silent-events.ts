import type { EventSink } from "../../ports/events";
import type { DueWorkIndex } from "../../ports/stores";

/**
 * Events that tell nobody (seeding the demo's standing access, measurements): a journaled batch is
 * done at once, so no sweep announces it later.
 */
export function silentEvents(due: Pick<DueWorkIndex, "remove">): EventSink {
  return {
    publish: async (_events, batch, _saved, writing) => {
      await writing;
      if (batch) await due.remove([batch.item]);
    },
    replay: async () => undefined,
  };
}
