import type { DomainEvent } from "../../domain/model";

/** Event fields naming what a batch is about: batches about one of them are planned in order. */
const SUBJECT_FIELDS = new Set([
  "requestId",
  "requestIds",
  "assignmentId",
  "assignmentIds",
  "reviewId",
  "reviewIds",
  "catalogId",
]);

/** What a batch's events are about (`request:<id>`, `assignment:<id>`, ...). */
export function subjectsOf(events: readonly DomainEvent[]): string[] {
  const keys = new Set<string>();
  for (const event of events) {
    for (const [field, value] of Object.entries(event)) {
      if (!SUBJECT_FIELDS.has(field)) continue;
      const kind = field.replace(/Ids?$/, "");
      for (const id of Array.isArray(value) ? value : [value])
        if (typeof id === "string") keys.add(`${kind}:${id}`);
    }
  }
  return [...keys];
}

const settled = Promise.resolve();

/**
 * Plans batches side by side unless they are about the same thing. A request's batches (and its
 * assignment's: the batch that starts delivery names both) are planned in the order they were
 * published, so its people read "stage 1 approved" before "you now have"; batches about other
 * requests do not wait for them. A batch about nothing in particular waits for every batch before
 * it, and every batch after it waits for it. At most `limit` plan at once, to bound the reads a
 * burst has in flight.
 */
export class PlanningOrder {
  private readonly tails = new Map<string, Promise<void>>();
  private unkeyed: Promise<void> = settled;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /**
   * Plans after the batches before it about the same things; `ready` (a wait that holds up this
   * batch's planning but not others') is awaited before the batch takes one of the `limit` slots.
   */
  run<T>(subjects: readonly string[], plan: () => Promise<T>, ready?: () => Promise<void>): Promise<T> {
    const before =
      subjects.length === 0
        ? [this.unkeyed, ...this.tails.values()]
        : [this.unkeyed, ...subjects.map((s) => this.tails.get(s) ?? settled)];
    const planned = Promise.all(before)
      .then(() => ready?.())
      .then(() => this.withSlot(plan));
    const tail = planned.then(
      () => undefined,
      () => undefined,
    );
    if (subjects.length === 0) this.unkeyed = tail;
    for (const s of subjects) this.tails.set(s, tail);
    void tail.then(() => {
      for (const s of subjects) if (this.tails.get(s) === tail) this.tails.delete(s);
    });
    return planned;
  }

  private async withSlot<T>(plan: () => Promise<T>): Promise<T> {
    // A full house waits for a batch to finish and hand its slot over.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await plan();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
