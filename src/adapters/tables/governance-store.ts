import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { GovernanceConfig } from "../../domain/model";
import type { GovernanceStore } from "../../ports/stores";
import { emptyGovernance } from "../shared/governance";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { encodeKey } from "./keys";
import { submitInBatches } from "./batches";

const PARTITION = "config";
const SECTIONS = ["catalogs", "packages", "policies", "connectedOrganizations"] as const;
type Section = (typeof SECTIONS)[number];

/**
 * Governance table: one partition `config`, one row per catalog, package, policy and connected
 * organisation (`<section>|<id>`), with its position so the declared order survives. Small: read whole.
 */
export class TableGovernanceStore implements GovernanceStore {
  constructor(private readonly client: TableClient) {}

  private async rows(): Promise<Map<string, Record<string, unknown>>> {
    const rows = new Map<string, Record<string, unknown>>();
    const query = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` },
    });
    for await (const row of query) rows.set(row.rowKey!, row);
    return rows;
  }

  async load(): Promise<GovernanceConfig> {
    const config = emptyGovernance();
    const rows = [...(await this.rows()).values()].sort((a, b) => Number(a.position) - Number(b.position));
    for (const row of rows) {
      const section = String(row.section) as Section;
      (config[section] as unknown[]).push(readJsonColumns(row));
    }
    return config;
  }

  /** Upserts rows whose content or position changed and deletes rows no longer declared, in batches. */
  async save(next: GovernanceConfig): Promise<void> {
    const existing = await this.rows();
    const actions: TransactionAction[] = [];
    const wanted = new Set<string>();
    for (const section of SECTIONS) {
      (next[section] as { id: string }[]).forEach((item, position) => {
        const rowKey = `${section}|${encodeKey(item.id)}`;
        wanted.add(rowKey);
        const columns = jsonColumns(`${section} ${item.id}`, item);
        const old = existing.get(rowKey);
        const same =
          old &&
          old.position === position &&
          Object.entries(columns).every(([name, value]) => old[name] === value);
        if (!same) {
          const entity = { partitionKey: PARTITION, rowKey, section, position, ...columns };
          actions.push(["upsert", entity, "Replace"]);
        }
      });
    }
    for (const rowKey of existing.keys()) {
      if (!wanted.has(rowKey)) actions.push(["delete", { partitionKey: PARTITION, rowKey }]);
    }
    await submitInBatches(this.client, actions);
  }
}
