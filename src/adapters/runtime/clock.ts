import type { Clock } from "../../ports/runtime";

export const systemClock: Clock = { now: () => new Date() };

/**
 * The wall clock plus an offset that only moves forward. Local mode uses it so a person trying the
 * bot can jump ahead to see reminders, expiry and reviews fire; tests set it directly.
 */
export class ShiftableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("The clock only moves forward");
    this.offsetMs += ms;
    return this.now();
  }
}

/** A clock that stands still until told to move: for tests. */
export class FixedClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
