import type { IndexKey } from "./aggregate-table";
import type { PartitionWriter } from "./batches";
import type { TurnsAnswering } from "../../ports/answers";

interface Drop {
  keys: IndexKey[];
  started: boolean;
  cancelled: boolean;
}

/**
 * How long a started drop waits in its partition's queue for others (nobody waits on a drop): the
 * rows a package's or a team's requests leave behind go out together.
 */
export const DROP_LINGER_MS = 50;

/**
 * Index rows an update no longer lists, deleted after it returned, and after the answer it was part
 * of is out (`afterAnswers`): a stale row is allowed (readers prune it), so the click's answer and
 * its CPU come first. Per aggregate, the next update takes over drops that have not started (it may
 * list one of the rows again, which is then not deleted). One that has started is queued in the
 * writer the update's own rows go through, which keeps each row's writes in order: a row the update
 * lists again is written after the delete, never deleted after it was written again.
 */
export class LaterDrops {
  private readonly pending = new Map<string, Drop>();

  constructor(
    /** Shared with the index rows' upserts: drops in a busy partition (a package, a team) go out together. */
    private readonly writer: PartitionWriter,
    private readonly afterAnswers?: TurnsAnswering,
  ) {}

  /** Called by an update of `id` before it writes index rows: the rows still to drop, now its own. */
  takeOver(id: string): IndexKey[] {
    const drop = this.pending.get(id);
    if (!drop || drop.started) return [];
    drop.cancelled = true;
    this.pending.delete(id);
    return drop.keys;
  }

  schedule(id: string, keys: IndexKey[]): void {
    if (keys.length === 0) return;
    const drop: Drop = { keys, started: false, cancelled: false };
    void (this.afterAnswers?.idle() ?? Promise.resolve())
      .then(async () => {
        if (drop.cancelled) return;
        // Queued at once, in the same tick as `started`: an update after this point writes behind it.
        drop.started = true;
        await Promise.all(
          keys.map((k) => this.writer.delete(k, DROP_LINGER_MS).catch(() => undefined)), // left stale: readers prune it
        );
      })
      .finally(() => {
        if (this.pending.get(id) === drop) this.pending.delete(id);
      });
    this.pending.set(id, drop);
  }
}
