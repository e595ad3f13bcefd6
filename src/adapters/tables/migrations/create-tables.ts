import type { MigrationContext, MigrationStep, TableName } from "./step";
import { tableExists } from "./rows";

/** Tables a version added (Delegations, UsedLinks, ...): created empty, as `ensureTables` does at start. */
export const createTables: MigrationStep = {
  name: "tables",
  summary: "creates the tables this version uses that do not exist yet",
  async pending(ctx) {
    const missing = await missingTables(ctx);
    return {
      rows: missing.length,
      detail: missing.map((name) => `table ${ctx.table(name).tableName}: missing`),
    };
  },
  async run(ctx) {
    const missing = await missingTables(ctx);
    // createTable treats 409 TableAlreadyExists as success: another instance creating it is fine.
    for (const name of missing) await ctx.table(name).createTable();
    return {
      moved: missing.length,
      left: 0,
      detail: missing.map((name) => `table ${ctx.table(name).tableName}: created`),
    };
  },
};

async function missingTables(ctx: MigrationContext): Promise<TableName[]> {
  const exists = await Promise.all(ctx.tableNames.map((name) => tableExists(ctx.table(name))));
  return ctx.tableNames.filter((_, i) => !exists[i]);
}
