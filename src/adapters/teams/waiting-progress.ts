import type { UserId } from "../../domain/model";

/** One progress notice waiting for its turn: moot once a later message about its subject is on its way. */
interface Waiting {
  moot: boolean;
}

/**
 * Progress notices still waiting for their turn, by person and what they tell about
 * (`request:<id>`). When Teams' rate binds, "stage 1 approved" can still be waiting when the
 * request's outcome ("You now have", "denied") is sent to the same person: the notice would only
 * tell them something older, after they read the newer. The outcome makes it moot, and the pacer
 * drops it instead of sending it (the delivery log records it as superseded).
 */
export class WaitingProgress {
  private readonly waiting = new Map<string, Set<Waiting>>();

  /** A progress notice starts waiting: `wanted` holds until an outcome overtakes it; `done` when it ends. */
  wait(userId: UserId, about: string): { wanted: () => boolean; done: () => void } {
    const key = `${userId}\n${about}`;
    const me: Waiting = { moot: false };
    const all = this.waiting.get(key) ?? new Set<Waiting>();
    this.waiting.set(key, all.add(me));
    return {
      wanted: () => !me.moot,
      done: () => {
        all.delete(me);
        if (all.size === 0 && this.waiting.get(key) === all) this.waiting.delete(key);
      },
    };
  }

  /** A later message about `about` is on its way to the person: true when it made a notice moot. */
  overtake(userId: UserId, about: string): boolean {
    const all = this.waiting.get(`${userId}\n${about}`);
    if (!all) return false;
    for (const w of all) w.moot = true;
    return all.size > 0;
  }
}
