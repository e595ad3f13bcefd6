import type { TableClient, TableEntityResult } from "@azure/data-tables";
import { statusOf } from "../errors";

export type Row = TableEntityResult<Record<string, unknown>>;

/** The rows a filter selects; none if the table does not exist (an account the version never ran on). */
export async function rowsOf(client: TableClient, filter: string): Promise<Row[]> {
  const rows: Row[] = [];
  try {
    for await (const page of client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1000 }))
      rows.push(...(page as Row[]));
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
  return rows;
}

/** Whether the table exists: one query for at most one row. */
export async function tableExists(client: TableClient): Promise<boolean> {
  try {
    await client.listEntities().byPage({ maxPageSize: 1 }).next();
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
