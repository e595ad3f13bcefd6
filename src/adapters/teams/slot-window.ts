import { type RateLimit, waitFor } from "./rate-limit";

/** One call's place in a rate window: open while the call may still be on its way to Teams. */
export interface Slot {
  at: number;
  open: boolean;
}

/**
 * The calls that count against some limits. Teams counts a call when it arrives, which is some time
 * after the slot was taken: an open call counts as arriving now, and a settled one at the moment it
 * settled (it arrived by then). So any `count` calls are a whole window apart where Teams counts
 * them, however long each HTTP call took; slots taken by this process's own clock alone let
 * arrivals bunch up over the limit.
 */
export class SlotWindow {
  private readonly slots: Slot[] = [];
  private readonly longest: number;

  constructor(private readonly limits: RateLimit[]) {
    this.longest = Math.max(0, ...limits.map((l) => l.windowMs));
  }

  /** How long until one more call fits (an open call's slot frees only once it settles). */
  wait(now: number): number {
    const times = this.slots.map((s) => (s.open ? now : s.at)).sort((a, b) => a - b);
    return waitFor(times, this.limits, now);
  }

  take(now: number): Slot {
    while (this.slots.length > 0 && !this.slots[0]!.open && now - this.slots[0]!.at >= this.longest)
      this.slots.shift();
    const slot = { at: now, open: true };
    this.slots.push(slot);
    return slot;
  }
}

/** The call is over (answered, failed or given up on): it reached Teams, if at all, by `now`. */
export function settle(slot: Slot, now: number): void {
  slot.open = false;
  slot.at = Math.max(slot.at, now);
}
