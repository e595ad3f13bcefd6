import type { DomainError } from "../../domain/errors";
import { err, ok, type Result } from "../../domain/result";
import type { Step, Transition } from "../../domain/transition";
import { ConcurrencyError, type Versioned } from "../../ports/versioned";

const MAX_ATTEMPTS = 5;

interface CasStore<T> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Compare-and-swap; the swap itself waits for `after` (see `RequestStore.update`). */
  update(value: T, etag: string, after?: Promise<void>): Promise<string>;
}

/** A step on its way to storage: the save waits for `written` before its compare-and-swap. */
export interface SavingAhead<T> {
  step: Step<T>;
  written: Promise<void>;
}

/** What a mutation did: the state before, the step, and the ETag `step.next` is stored at. */
export interface Mutated<T> {
  before: T;
  step: Step<T>;
  etag: string;
}

/**
 * Load, transition, save with the ETag; when someone else saved first, reload and decide again on
 * their result (so the first decision wins and the loser is told why). No-op steps are not saved.
 * `known` is a version the caller already holds (just read or written): the first attempt starts
 * from it instead of reading again; if it is stale the save fails and the next attempt reads.
 */
export async function mutate<T>(
  store: CasStore<T>,
  id: string,
  notFound: DomainError,
  transition: (current: T) => Transition<T> | Promise<Transition<T>>,
  known?: Versioned<T>,
  /**
   * Runs on a changed step just before it is saved (e.g. `scheduleFirst`); its result is saved. One
   * that returns at once with writes still on their way (`journalAhead`) lets the store write its
   * own rows beside them; the compare-and-swap still waits for both.
   */
  beforeSave?: (step: Step<T>) => Promise<Step<T>> | SavingAhead<T>,
): Promise<Result<Mutated<T>>> {
  for (let attempt = 1; ; attempt += 1) {
    const loaded = attempt === 1 && known ? known : await store.get(id);
    if (!loaded) return err(notFound);
    const result = await transition(loaded.value);
    if (!result.ok) return result;
    if (!result.value.changed) return ok({ before: loaded.value, step: result.value, etag: loaded.etag });
    const saving = beforeSave ? beforeSave(result.value) : result.value;
    const { step, written } = "written" in saving ? saving : { step: await saving, written: undefined };
    try {
      const etag = await store.update(step.next, loaded.etag, written);
      return ok({ before: loaded.value, step, etag });
    } catch (e) {
      if (!(e instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}
