import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import {
  type AuditDay,
  type ChainHead,
  type ChainedEntry,
  type DayAnchor,
  GENESIS,
} from "../../domain/audit/chain";
import type { IndexCopy, StoredDay } from "../../domain/audit/verify";
import type { AuditEntry } from "../../domain/model";
import { AuditConflictError } from "../../ports/audit-chain";
import { submitInBatches } from "./batches";
import { statusOf, tolerating } from "./errors";
import { readJsonColumns } from "./json-columns";
import { decodeKey, invertedMs, key } from "./keys";
import { ANCHORS, DAYS, HEAD_ROW, LATEST_ANCHOR, dayPartition, entryRowKey } from "./audit-chain-writer";
import { type CopyRow, copyRows, isEarlierSubjectCopy, placeOfStoredCopy } from "./audit-copies";

type Row = Record<string, unknown> & { partitionKey?: string; rowKey?: string; etag?: string };

/** The chain side of the Audit table: whole-day reads, sealing, anchors and purging (operators, the daily sweep). */
export class TableAuditChain {
  constructor(private readonly client: TableClient) {}

  private async all(filter: string): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const page of this.client
      .listEntities<Row>({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1000 }))
      rows.push(...page);
    return rows;
  }

  async listDays(): Promise<AuditDay[]> {
    return (await this.all(odata`PartitionKey eq ${DAYS}`)).map((r) => r.rowKey!);
  }

  async anchors(): Promise<DayAnchor[]> {
    const rows = await this.all(odata`PartitionKey eq ${ANCHORS}`);
    return rows
      .filter((r) => r.rowKey !== LATEST_ANCHOR)
      .map((r) => ({
        day: r.rowKey!,
        seq: Number(r.seq),
        headHash: String(r.headHash),
        prevAnchor: String(r.prevAnchor),
        hash: String(r.hash),
        ...(r.purged === true ? { purged: true } : {}),
      }));
  }

  async readChains(fromDay?: AuditDay): Promise<StoredDay[]> {
    const [rows, anchors] = await Promise.all([
      this.all(odata`PartitionKey ge ${dayPartition(fromDay ?? "")} and PartitionKey lt ${"d}"}`),
      this.anchors(),
    ]);
    const days = new Map<AuditDay, StoredDay>();
    const dayEntry = (day: AuditDay) => days.get(day) ?? days.set(day, { day, rows: [] }).get(day)!;
    for (const row of rows) {
      const day = decodeKey(row.partitionKey!.slice(2));
      const stored = dayEntry(day);
      if (row.rowKey === HEAD_ROW) {
        stored.head = { day, seq: Number(row.seq), hash: String(row.hash), sealed: row.sealed === true };
        continue;
      }
      stored.rows.push(chainedFrom(day, row));
    }
    for (const anchor of anchors)
      if (fromDay === undefined || anchor.day >= fromDay) dayEntry(anchor.day).anchor = anchor;
    return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  /** Copies at or after `from`; a person's partition also holds subject copies, so its rows are filtered here. */
  async readCopies(from?: string): Promise<IndexCopy[]> {
    const since = from !== undefined ? Date.parse(from) : -Infinity;
    const [subjects, people] = await Promise.all([
      this.all(
        odata`PartitionKey ge 's|' and PartitionKey lt 's}'` +
          (from !== undefined ? odata` and RowKey lt ${invertedMs(since - 1)}` : ""),
      ),
      this.all(odata`PartitionKey ge 'u|' and PartitionKey lt 'u}'`),
    ]);
    return [...subjects, ...people].flatMap((row) => {
      const entry = readJsonColumns<AuditEntry>(row);
      if (Date.parse(entry.at) < since) return [];
      const where = placeOfStoredCopy({ partitionKey: row.partitionKey!, rowKey: row.rowKey! }, entry);
      return [{ where, entry }];
    });
  }

  async sealDay(day: AuditDay): Promise<ChainHead> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const row = await tolerating([404], () => this.client.getEntity<Row>(dayPartition(day), HEAD_ROW));
      try {
        if (!row) {
          await this.client.createEntity({
            partitionKey: dayPartition(day),
            rowKey: HEAD_ROW,
            seq: 0,
            hash: GENESIS,
            sealed: true,
          });
          return { day, seq: 0, hash: GENESIS, sealed: true };
        }
        const head = { day, seq: Number(row.seq), hash: String(row.hash), sealed: true };
        if (row.sealed !== true)
          await this.client.updateEntity(
            { partitionKey: dayPartition(day), rowKey: HEAD_ROW, sealed: true },
            "Merge",
            { etag: row.etag },
          );
        return head;
      } catch (error) {
        // An append committed between the read and the seal: read the head again.
        if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error;
      }
    }
    throw new Error(`audit day ${day}: could not seal it (appends kept winning)`);
  }

  async addAnchor(anchor: DayAnchor): Promise<void> {
    const row = {
      partitionKey: ANCHORS,
      rowKey: anchor.day,
      seq: anchor.seq,
      headHash: anchor.headHash,
      prevAnchor: anchor.prevAnchor,
      hash: anchor.hash,
    };
    try {
      await this.client.submitTransaction([
        ["create", row],
        [
          "upsert",
          { partitionKey: ANCHORS, rowKey: LATEST_ANCHOR, day: anchor.day, hash: anchor.hash },
          "Replace",
        ],
      ]);
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const stored = await this.client.getEntity<Row>(ANCHORS, anchor.day);
      if (stored.hash !== anchor.hash) throw new AuditConflictError(`anchor:${anchor.day}`);
    }
  }

  async purgeDay(day: AuditDay): Promise<number> {
    const anchor = await tolerating([404], () => this.client.getEntity<Row>(ANCHORS, day));
    if (!anchor) throw new Error(`audit day ${day} has no anchor: anchor it before purging`);
    // Marked first: a purge cut short leaves rows that verify knows to skip, then finishes next time.
    if (anchor.purged !== true)
      await this.client.updateEntity({ partitionKey: ANCHORS, rowKey: day, purged: true }, "Merge");
    const rows = await this.all(odata`PartitionKey eq ${dayPartition(day)}`);
    const entries = rows.filter((r) => r.rowKey !== HEAD_ROW).map((r) => readJsonColumns<AuditEntry>(r));
    const copies = [...entries.flatMap(copyRows), ...(await this.earlierCopiesOf(entries))];
    await deleteAll(
      this.client,
      copies.map((row): TransactionAction => ["delete", row]),
    );
    await deleteAll(
      this.client,
      rows.map((r): TransactionAction => ["delete", { partitionKey: r.partitionKey!, rowKey: r.rowKey! }]),
    );
    await tolerating([404], () => this.client.deleteEntity(DAYS, day));
    return entries.length;
  }

  /**
   * The subject copies of these entries still in `s|<subject>` although their person's partition
   * holds them now (written before; the migration moves them): one range read per kind of subject.
   */
  private async earlierCopiesOf(entries: AuditEntry[]): Promise<CopyRow[]> {
    const wanted = new Set(
      entries
        .filter((entry) => isEarlierSubjectCopy(key("s", entry.subject), entry))
        .map((entry) => `${key("s", entry.subject)}\n${entryRowKey(entry)}`),
    );
    if (wanted.size === 0) return [];
    const rowKeys = entries.map(entryRowKey).sort();
    const rows = await Promise.all(
      ["assignment", "request"].map((kind) =>
        this.all(
          odata`PartitionKey ge ${`s|${kind}:`} and PartitionKey lt ${`s|${kind};`}` +
            odata` and RowKey ge ${rowKeys[0]!} and RowKey le ${rowKeys.at(-1)!}`,
        ),
      ),
    );
    return rows
      .flat()
      .map((row) => ({ partitionKey: row.partitionKey!, rowKey: row.rowKey! }))
      .filter((row) => wanted.has(`${row.partitionKey}\n${row.rowKey}`));
  }
}

/** Deletes rows, partition by partition; a row already gone is fine (a purge run again). */
async function deleteAll(client: TableClient, actions: TransactionAction[]): Promise<void> {
  try {
    await submitInBatches(client, actions);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    // One missing row fails its whole transaction: delete one by one.
    for (const [, row] of actions)
      await tolerating([404], () => client.deleteEntity(row.partitionKey!, row.rowKey!));
  }
}

function chainedFrom(day: AuditDay, row: Row): ChainedEntry {
  let entry: AuditEntry;
  try {
    entry = readJsonColumns<AuditEntry>(row);
  } catch {
    const id = decodeKey(row.rowKey!.split("|")[1] ?? row.rowKey!);
    const unreadable = {
      id,
      at: "",
      actor: "system",
      action: "cardAction.refused",
      subject: "",
      source: "",
    } as const;
    return {
      day,
      seq: Number(row.chainSeq),
      prevHash: "",
      hash: "",
      entry: unreadable,
      misplaced: `row ${row.rowKey} holds no readable entry`,
    };
  }
  const chained: ChainedEntry = {
    day,
    seq: Number(row.chainSeq),
    prevHash: String(row.prevHash ?? ""),
    hash: String(row.hash ?? ""),
    entry,
  };
  if (row.rowKey !== entryRowKey(entry))
    chained.misplaced = `row ${row.rowKey} holds entry ${entry.id}, whose row key is ${entryRowKey(entry)}`;
  return chained;
}
