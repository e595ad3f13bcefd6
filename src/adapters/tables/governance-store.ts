import { randomBytes } from "node:crypto";
import {
  odata,
  type TableClient,
  type TableEntity,
  type TableEntityResult,
  type TransactionAction,
} from "@azure/data-tables";
import type { AuditEntry, GovernanceConfig } from "../../domain/model";
import type { GovernancePublish, GovernanceStore, GovernanceVersion, OwedAudit } from "../../ports/stores";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/versioned";
import { emptyGovernance, KEEP_PREVIOUS_VERSIONS } from "../shared/governance";
import { submitInBatches } from "./batches";
import { statusOf, tolerating } from "./errors";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { decodeKey, encodeKey, key } from "./keys";

type Row = TableEntityResult<Record<string, unknown>>;

/** The pointer to the current version and the directory of versions share this partition. */
const HEAD = "head";
const POINTER = "current";
/** The first layout (one row per item, no versions): read until the first switch, then pruned. */
const LEGACY = "config";
const SECTIONS = ["catalogs", "packages", "policies", "connectedOrganizations"] as const;
type Section = (typeof SECTIONS)[number];

const versionPartition = (version: string) => key("v", version);
const directoryKey = (version: string) => `v|${encodeKey(version)}`;
const ITEM = "c|";
const AUDIT = "a|";

export interface GovernanceTableOptions {
  /**
   * A version that never became current is left alone for this long (by the service's timestamps),
   * since another process may still be writing it. Default 10 minutes.
   */
  graceMs?: number;
}

interface Pointer {
  version: string;
  /** Item rows the version holds: a reader that finds fewer is reading a pruned version. */
  items: number;
  owed: string[];
  history: string[];
  etag: string;
  writtenAt: number;
}

/**
 * Governance table, versioned (docs/storage.md "Governance"). Each version lives in its own
 * partition `v|<version>`: item rows `c|<section>|<id>` (JSON, position) and the audit entries its
 * switch promises, `a|<index>`. Partition `head` holds the pointer `current` (version, item count,
 * owed versions, the versions current before) and one directory row `v|<version>` per version.
 * A version is registered, written (any number of transactions), then switched to by one
 * transaction on `head`: the pointer at its ETag and the directory row at its ETag, so a version
 * that `prune` has started to delete can never become current.
 */
export class TableGovernanceStore implements GovernanceStore {
  private readonly graceMs: number;

  constructor(
    private readonly client: TableClient,
    options: GovernanceTableOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 10 * 60_000;
  }

  async load(): Promise<GovernanceConfig> {
    return (await this.current()).config;
  }

  async current(): Promise<GovernanceVersion> {
    let pointer = await this.pointer();
    for (;;) {
      if (!pointer) {
        const legacy = configOf(await this.scan(LEGACY));
        // The first switch prunes the first layout: if one happened meanwhile, read its version.
        pointer = await this.pointer();
        if (!pointer) return { config: legacy };
        continue;
      }
      const rows = await this.scan(versionPartition(pointer.version), ITEM);
      if (rows.length === pointer.items) return { version: pointer.version, config: configOf(rows) };
      // Fewer rows: the version was pruned while we read it, so the pointer has moved on.
      const again = await this.pointer();
      if (again?.version === pointer.version) {
        throw new Error(
          `governance version ${pointer.version} holds ${rows.length} of its ${pointer.items} rows`,
        );
      }
      pointer = again;
    }
  }

  /** One point read of the pointer: what a cache checks before trusting what it holds. */
  async currentVersion(): Promise<string | undefined> {
    return (await this.pointer())?.version;
  }

  async publish(change: GovernancePublish): Promise<void> {
    const before = await this.pointer();
    if (before?.version !== change.base) throw new ConcurrencyError("the governance configuration");
    const partitionKey = versionPartition(change.version);
    const items = itemRows(partitionKey, change.config);
    const audit = change.audit.map((entry, i) => ({
      partitionKey,
      rowKey: `${AUDIT}${String(i).padStart(6, "0")}`,
      ...jsonColumns(`audit entry ${entry.id}`, entry),
    }));
    // Registered before its rows: a crash below leaves a listed version that prune() collects.
    const registered = await this.register(change.version, items.length);
    await submitInBatches(
      this.client,
      [...items, ...audit].map((row): TransactionAction => ["upsert", row, "Replace"]),
    );
    const pointer = {
      partitionKey: HEAD,
      rowKey: POINTER,
      version: change.version,
      items: items.length,
      owed: JSON.stringify([...(before?.owed ?? []), ...(audit.length > 0 ? [change.version] : [])]),
      history: JSON.stringify(
        before ? [...before.history, before.version].slice(-KEEP_PREVIOUS_VERSIONS) : [],
      ),
    };
    const directory = { partitionKey: HEAD, rowKey: directoryKey(change.version), switched: true };
    try {
      await this.client.submitTransaction([
        before ? ["update", pointer, "Replace", { etag: before.etag }] : ["create", pointer],
        ["update", directory, "Merge", { etag: registered }],
      ]);
    } catch (error) {
      // 412/409: another switch came first; 404: prune() took the version. Nothing became visible.
      if ([404, 409, 412].includes(statusOf(error) ?? 0)) {
        throw new ConcurrencyError("the governance configuration");
      }
      throw error;
    }
  }

  async owedAudit(): Promise<OwedAudit[]> {
    const pointer = await this.pointer();
    return Promise.all(
      (pointer?.owed ?? []).map(async (version) => ({
        version,
        entries: (await this.scan(versionPartition(version), AUDIT)).map((row) =>
          readJsonColumns<AuditEntry>(row),
        ),
      })),
    );
  }

  async confirmAudited(versions: string[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const pointer = await this.pointer();
      const owed = pointer?.owed.filter((v) => !versions.includes(v));
      if (!pointer || !owed || owed.length === pointer.owed.length) return;
      const row = { partitionKey: HEAD, rowKey: POINTER, owed: JSON.stringify(owed) };
      try {
        await this.client.updateEntity(row, "Merge", { etag: pointer.etag });
        return;
      } catch (error) {
        if (statusOf(error) !== 412 || attempt >= 5) throw error;
      }
    }
  }

  /**
   * Deletes every version that is not current, owed or among the few current before it; a version
   * that never became current only once it is older than the grace period (it may be in flight).
   * A version is first marked (at its ETag, so its switch can no longer succeed), then its rows are
   * deleted, then its directory row: a crash leaves it listed, and the next prune finishes it.
   * The first layout's rows go once a version is current.
   */
  async prune(): Promise<void> {
    const pointer = await this.pointer();
    if (!pointer) return;
    const keep = new Set([pointer.version, ...pointer.owed, ...pointer.history]);
    for (const row of await this.scan(HEAD, "v|")) {
      const version = decodeKey(row.rowKey!.slice(2));
      if (keep.has(version)) continue;
      const age = pointer.writtenAt - Date.parse(String(row.timestamp ?? ""));
      if (row.doomed !== true && row.switched !== true && !(age >= this.graceMs)) continue;
      if (row.doomed !== true) {
        const marked = await tolerating([404, 412], () =>
          this.client.updateEntity({ partitionKey: HEAD, rowKey: row.rowKey!, doomed: true }, "Merge", {
            etag: row.etag,
          }),
        );
        if (!marked) continue; // switched or pruned meanwhile
      }
      await this.deleteAll(versionPartition(version));
      await tolerating([404], () => this.client.deleteEntity(HEAD, row.rowKey!));
    }
    await this.deleteAll(LEGACY);
  }

  async save(next: GovernanceConfig): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const base = (await this.pointer())?.version;
      const version = `save-${randomBytes(8).toString("hex")}`;
      try {
        await this.publish({ version, base, config: next, audit: [] });
        break;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
      }
    }
    await this.prune();
  }

  private async pointer(): Promise<Pointer | undefined> {
    const row = await tolerating([404], () => this.client.getEntity<Record<string, unknown>>(HEAD, POINTER));
    if (!row) return undefined;
    return {
      version: String(row.version),
      items: Number(row.items),
      owed: JSON.parse(String(row.owed ?? "[]")) as string[],
      history: JSON.parse(String(row.history ?? "[]")) as string[],
      etag: row.etag,
      writtenAt: Date.parse(String(row.timestamp ?? "")),
    };
  }

  /** Creates the version's directory row; returns its ETag. */
  private async register(version: string, items: number): Promise<string> {
    try {
      const { etag } = await this.client.createEntity({
        partitionKey: HEAD,
        rowKey: directoryKey(version),
        items,
      });
      return etag!;
    } catch (error) {
      if (statusOf(error) === 409) throw new AlreadyExistsError(`governance version ${version}`);
      throw error;
    }
  }

  /** One partition, or the rows of it whose key starts with `prefix`, in row-key order. */
  private async scan(partitionKey: string, prefix?: string): Promise<Row[]> {
    let filter = odata`PartitionKey eq ${partitionKey}`;
    if (prefix !== undefined) {
      const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
      filter += odata` and RowKey ge ${prefix} and RowKey lt ${end}`;
    }
    const rows: Row[] = [];
    for await (const row of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      rows.push(row);
    }
    return rows;
  }

  private async deleteAll(partitionKey: string): Promise<void> {
    const filter = odata`PartitionKey eq ${partitionKey}`;
    const rows: TransactionAction[] = [];
    const query = this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } });
    for await (const row of query) rows.push(["delete", { partitionKey, rowKey: row.rowKey! }]);
    await submitInBatches(this.client, rows);
  }
}

function itemRows(partitionKey: string, config: GovernanceConfig): TableEntity<Record<string, unknown>>[] {
  return SECTIONS.flatMap((section) =>
    (config[section] as { id: string }[]).map((item, position) => ({
      partitionKey,
      rowKey: `${ITEM}${section}|${encodeKey(item.id)}`,
      section,
      position,
      ...jsonColumns(`${section} ${item.id}`, item),
    })),
  );
}

/** Item rows back into a configuration, each section in its declared order. */
function configOf(rows: Row[]): GovernanceConfig {
  const config = emptyGovernance();
  const sorted = [...rows].sort((a, b) => Number(a.position) - Number(b.position));
  for (const row of sorted) {
    const section = String(row.section) as Section;
    (config[section] as unknown[]).push(readJsonColumns(row));
  }
  return config;
}
