import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { AccessRequest } from "../../../domain/model";
import { NOTE_ROW_PREFIX } from "../aggregate-table";
import { submitInBatches } from "../batches";
import { tolerating } from "../errors";
import { readJsonColumns } from "../json-columns";
import { key } from "../keys";
import { groupNotes, listedAsTeamMember, requestIndexKeys } from "../request-store";
import { rowsOf, type Row } from "./rows";
import type { MigrationStep } from "./step";

interface TeamRows {
  request: AccessRequest;
  rows: Row[];
}

/**
 * Rows of the previous layout: an approver of a team's stage listed by a row of their own in
 * `a|<user>`, grouped by the request they list (read now, so rows the request outgrew are not moved:
 * readers prune those).
 */
async function teamMemberRows(client: TableClient): Promise<TeamRows[]> {
  const rows = (await rowsOf(client, "PartitionKey ge 'a|' and PartitionKey lt 'a}'")).filter(
    (row) => !String(row.rowKey).startsWith(NOTE_ROW_PREFIX),
  );
  const byRequest = new Map<string, TeamRows>();
  for (const row of rows) {
    const id = String(row.ref);
    let found = byRequest.get(id);
    if (!found) {
      const entity = await tolerating([404], () =>
        client.getEntity<Record<string, unknown>>(key("e", id), "entity"),
      );
      if (!entity) continue;
      found = { request: readJsonColumns<AccessRequest>(entity), rows: [] };
      byRequest.set(id, found);
    }
    if (listedAsTeamMember(found.request, { partitionKey: row.partitionKey!, rowKey: row.rowKey! }))
      found.rows.push(row);
  }
  return [...byRequest.values()].filter((team) => team.rows.length > 0);
}

/**
 * Approvers of a team's stage: from a row per member (`a|<user>`) to one row in the group's
 * partition (`g|<group>`) and a note per member naming the group. Notes and the group's row are
 * upserts written before the old rows are deleted (each at the ETag read), so a run cut anywhere
 * and run again ends the same, and the request stays listed throughout: today's readers also read
 * an old row as live while its person is one of the request's approvers.
 */
export const approverGroups: MigrationStep = {
  name: "approver-groups",
  summary:
    "moves a team's pending approvals from a row per member (a|<user>) to one row per group (g|<group>)",
  async pending(ctx) {
    const teams = await teamMemberRows(ctx.table("requests"));
    return {
      rows: teams.reduce((n, team) => n + team.rows.length, 0),
      detail: teams.map(
        (team) => `Requests ${team.request.id}: ${team.rows.length} approvers' rows, one group row instead`,
      ),
    };
  },
  async run(ctx) {
    const client = ctx.table("requests");
    let moved = 0;
    let left = 0;
    for (const { request, rows } of await teamMemberRows(client)) {
      const group = requestIndexKeys(request).filter((k) => k.partitionKey.startsWith("g|"));
      const upserts: TransactionAction[] = [
        ...groupNotes(request).map((note): TransactionAction => ["upsert", { ...note }, "Replace"]),
        ...group.map((k): TransactionAction => ["upsert", { ...k, ref: request.id }, "Replace"]),
      ];
      await submitInBatches(client, upserts);
      for (const row of rows) {
        const deleted = await tolerating([404, 412], async () => {
          await client.deleteEntity(row.partitionKey!, row.rowKey!, { etag: row.etag });
          return true;
        });
        if (deleted) moved += 1;
        else left += 1;
      }
    }
    return {
      moved,
      left,
      detail:
        left > 0
          ? [`${left} approvers' rows changed during the move: still read as live, a later run moves them`]
          : [],
    };
  },
};
