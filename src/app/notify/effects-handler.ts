import type { DueHandlers } from "../due-work";
import { rerunEffects } from "../shared/effects";
import { batchOf } from "../shared/journal";

/**
 * The journal's due item: a batch of effects still due means the process that saved its
 * transition died (or a send failed) before every effect was done. Runs what is missing; a batch
 * whose transition was never saved is dropped.
 */
export const effectsHandlers: DueHandlers = {
  effects: (deps, item) => rerunEffects(deps, batchOf(item)),
};
