import type { Deadline, DomainEvent } from "./model";
import type { Result } from "./result";

/** What a transition produces: the next state, what happened, and the deadlines it sets. */
export interface Step<T> {
  next: T;
  events: DomainEvent[];
  deadlines: Deadline[];
  /** False when the command was a no-op (a repeated decision, a stale deadline): nothing to save. */
  changed: boolean;
}

export type Transition<T> = Result<Step<T>>;

export const unchanged = <T>(value: T): Step<T> => ({
  next: value,
  events: [],
  deadlines: [],
  changed: false,
});
