import { odata } from "@azure/data-tables";
import { TableDueWorkIndex } from "../due-work-index";
import { rowsOf } from "./rows";
import type { MigrationStep } from "./step";

/** The previous due-work layout: hour partitions `due|<hour>`, listed by rows of `buckets`. */
const LEGACY_BUCKETS = "buckets";

/**
 * Due work from hour partitions into the one `due` partition. The move itself is the index's own
 * (`TableDueWorkIndex.migrateLegacy`, which running instances also do lazily at their first sweep):
 * copy with Merge under the same row key (claims kept), delete the old row at the ETag read, drop
 * the hour's bucket row once the previous layout's 10-minute memo of it has run out.
 */
export const dueWorkHours: MigrationStep = {
  name: "due-work",
  summary: "moves due work from hour partitions (due|<hour>) into the one due partition",
  async pending(ctx) {
    const client = ctx.table("due");
    const hours = await rowsOf(client, odata`PartitionKey eq ${LEGACY_BUCKETS}`);
    const detail: string[] = [];
    let rows = 0;
    let empty = 0;
    for (const hour of hours) {
      const n = (await rowsOf(client, odata`PartitionKey eq ${`due|${String(hour.rowKey)}`}`)).length;
      rows += n;
      if (n === 0) empty += 1;
      else detail.push(`DueWork due|${String(hour.rowKey)}: ${n} item${n === 1 ? "" : "s"}`);
    }
    if (empty > 0)
      detail.push(
        `${empty} hour${empty === 1 ? "" : "s"} listed in buckets with no items (dropped once untouched for 10 minutes)`,
      );
    return { rows, detail };
  },
  async run(ctx) {
    const { moved, left } = await new TableDueWorkIndex(ctx.table("due"), {
      now: () => ctx.now(),
    }).migrateLegacy();
    return {
      moved,
      left,
      detail:
        left > 0
          ? [
              `${left} hour${left === 1 ? "" : "s"} still listed in buckets: touched in the last 10 minutes ` +
                "(an instance on the previous version may still write there) or changed during the move; " +
                "running instances move what arrives there, and a later run drops them",
            ]
          : [],
    };
  },
};
