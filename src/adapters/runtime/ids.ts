import { randomBytes } from "node:crypto";
import type { Clock, IdGenerator } from "../../ports/runtime";

/**
 * Time-ordered, table-key-safe ids: `<prefix>_<base36 time><random>`. Sorting by id follows
 * creation order, which keeps related index rows close.
 */
export class RandomIds implements IdGenerator {
  constructor(private readonly clock: Clock) {}
  next(prefix: string): string {
    const time = this.clock.now().getTime().toString(36).padStart(9, "0");
    return `${prefix}_${time}${randomBytes(8).toString("hex")}`;
  }
}

/** Predictable ids for tests: prefix_1, prefix_2, ... */
export class SequentialIds implements IdGenerator {
  private counter = 0;
  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }
}
