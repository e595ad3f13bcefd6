import type { Activity } from "botbuilder";

interface Waiting {
  activity: Partial<Activity>;
  done: Promise<void>;
}

/**
 * Card updates still waiting for their conversation's turn, by copy. A newer update of a copy whose
 * last update has not gone out yet takes that update's place instead of queueing behind it: the card
 * ends the same (the last update wins either way) with one call instead of several, which is what
 * keeps a busy chat, or the app-wide rate, from falling behind in a burst. Both callers learn the
 * outcome of the one call.
 */
export class WaitingUpdates {
  private readonly waiting = new Map<string, Waiting>();

  /**
   * Updates the copy through `queue`, which calls `latest` when the call starts (each attempt sends
   * the newest activity handed over by then).
   */
  update(
    copyKey: string,
    activity: Partial<Activity>,
    queue: (latest: () => Partial<Activity>) => Promise<void>,
  ): Promise<void> {
    const waiting = this.waiting.get(copyKey);
    if (waiting) {
      waiting.activity = activity;
      return waiting.done;
    }
    const entry: Waiting = { activity, done: Promise.resolve() };
    entry.done = queue(() => {
      // Started: an update from now on is newer than what this call sends, and queues anew.
      if (this.waiting.get(copyKey) === entry) this.waiting.delete(copyKey);
      return entry.activity;
    });
    this.waiting.set(copyKey, entry);
    void entry.done
      .catch(() => undefined)
      .finally(() => this.waiting.get(copyKey) === entry && this.waiting.delete(copyKey));
    return entry.done;
  }
}
