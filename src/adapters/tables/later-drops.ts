import type { TableClient } from "@azure/data-tables";
import type { IndexKey } from "./aggregate-table";
import { tolerating } from "./errors";
import type { TurnsAnswering } from "../../ports/answers";

interface Drop {
  keys: IndexKey[];
  started: boolean;
  cancelled: boolean;
  done: Promise<void>;
}

/**
 * Index rows an update no longer lists, deleted after it returned, and after the answer it was part
 * of is out (`afterAnswers`): a stale row is allowed (readers prune it), so the click's answer and
 * its CPU come first. Per aggregate, the next update takes over drops that have not started (it may
 * list one of the rows again, which is then not deleted) and waits for those that have, so a row is
 * never deleted after it was written again.
 */
export class LaterDrops {
  private readonly pending = new Map<string, Drop>();

  constructor(
    private readonly client: TableClient,
    private readonly afterAnswers?: TurnsAnswering,
  ) {}

  /** Called by an update of `id` before it writes index rows: the rows still to drop, now its own. */
  async takeOver(id: string): Promise<IndexKey[]> {
    const drop = this.pending.get(id);
    if (!drop) return [];
    if (drop.started) {
      await drop.done;
      return [];
    }
    drop.cancelled = true;
    this.pending.delete(id);
    return drop.keys;
  }

  schedule(id: string, keys: IndexKey[]): void {
    if (keys.length === 0) return;
    const drop: Drop = { keys, started: false, cancelled: false, done: Promise.resolve() };
    drop.done = (this.afterAnswers?.idle() ?? Promise.resolve())
      .then(async () => {
        if (drop.cancelled) return;
        drop.started = true;
        await Promise.all(
          keys.map((k) =>
            tolerating([404], () => this.client.deleteEntity(k.partitionKey, k.rowKey)).catch(
              () => undefined, // left stale: readers prune it
            ),
          ),
        );
      })
      .finally(() => {
        if (this.pending.get(id) === drop) this.pending.delete(id);
      });
    this.pending.set(id, drop);
  }
}
