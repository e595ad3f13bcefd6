import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { closeAuditDays, purgeAudit, verifyAudit } from "../../src/app/audit";
import type { AuditEntry } from "../../src/domain/model";
import type { TableStores } from "../../src/adapters/tables";
import { AuditConflictError } from "../../src/ports/audit-chain";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores, freshTablePrefix, tableStoresOn } from "../support/stores";

const DAY = 86_400_000;
const base = Date.UTC(2026, 10, 23, 9, 0);
const at = (ms: number) => new Date(base + ms).toISOString();
let serial = 0;
const entry = (ms: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `aud-${++serial}`,
  at: at(ms),
  actor: "user-ann",
  action: "assignment.granted",
  subject: `assignment:a${serial % 3}`,
  targetUserId: "user-bob",
  packageId: "pkg-analyst",
  source: "scheduler",
  ...extra,
});

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

describe("a tamper-evident audit trail on Azurite", function () {
  this.timeout(30_000);
  let stores: TableStores;
  let prefix: string;
  let raw: TableClient;
  let entries: AuditEntry[];

  const azurite = azuriteForSuite();

  beforeEach(async () => {
    prefix = freshTablePrefix("aud");
    stores = await azuriteStores(azurite(), { tablePrefix: prefix });
    raw = TableClient.fromConnectionString(azurite().connectionString, `${prefix}Audit`, {
      allowInsecureConnection: true,
    });
    // Two days: 5 entries on the first (two appends), 3 on the second; the first day anchored.
    entries = [0, 1, 2, 3, 4].map((m) => entry(m * 60_000));
    await stores.audit.append(entries.slice(0, 3));
    await stores.audit.append(entries.slice(3));
    const second = [0, 1, 2].map((m) => entry(DAY + m * 60_000));
    await stores.audit.append(second);
    entries.push(...second);
  });

  const chainRows = async (day: string): Promise<Row[]> => {
    const rows: Row[] = [];
    for await (const row of raw.listEntities<Row>({ queryOptions: { filter: `PartitionKey eq 'd|${day}'` } }))
      if (row.rowKey !== "~head") rows.push(row as Row);
    return rows.sort((a, b) => Number(a.chainSeq) - Number(b.chainSeq));
  };

  it("verifies an intact trail and summarises it", async () => {
    await closeAuditDays(stores.audit, new Date(base + DAY));
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.summary, { days: 2, entries: 8, anchors: 1, purgedDays: 0, copies: 16 });
  });

  it("names an entry whose field was changed with the storage key", async () => {
    const row = (await chainRows("2026-11-23"))[2]!;
    const json = String(row.json).replace('"actor":"user-ann"', '"actor":"user-eve"');
    await raw.updateEntity({ partitionKey: row.partitionKey, rowKey: row.rowKey, json }, "Merge");
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      [result.finding.kind, result.finding.seq, result.finding.entryId],
      ["altered", 3, entries[2]!.id],
    );
  });

  it("names the place of a deleted entry", async () => {
    const row = (await chainRows("2026-11-23"))[1]!;
    await raw.deleteEntity(row.partitionKey, row.rowKey);
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      [result.finding.kind, result.finding.day, result.finding.seq],
      ["removed", "2026-11-23", 2],
    );
  });

  it("names a deleted last entry against the day's head", async () => {
    const row = (await chainRows("2026-11-24")).at(-1)!;
    await raw.deleteEntity(row.partitionKey, row.rowKey);
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok ? undefined : [result.finding.kind, result.finding.seq].join(" "), "removed 3");
  });

  it("names a forged entry inserted into a day", async () => {
    const rows = await chainRows("2026-11-23");
    const forged = { ...entries[1]!, id: "aud-forged", actor: "user-eve", at: at(90_000) };
    const { partitionKey } = rows[0]!;
    await raw.createEntity({
      ...rows[1]!,
      partitionKey,
      rowKey: `${9_999_999_999_999 - Date.parse(forged.at)}|aud-forged`,
      json: JSON.stringify(forged),
      etag: undefined,
    } as Row);
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual([result.finding.kind, result.finding.entryId], ["inserted", "aud-forged"]);
  });

  it("names entries whose order was swapped", async () => {
    const rows = await chainRows("2026-11-23");
    const [a, b] = [rows[1]!, rows[3]!];
    await raw.updateEntity({ partitionKey: a.partitionKey, rowKey: a.rowKey, chainSeq: b.chainSeq }, "Merge");
    await raw.updateEntity({ partitionKey: b.partitionKey, rowKey: b.rowKey, chainSeq: a.chainSeq }, "Merge");
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      [result.finding.kind, result.finding.seq, result.finding.entryId],
      ["reordered", 2, entries[3]!.id],
    );
  });

  it("names a query copy that was changed, though the chain is intact", async () => {
    const copy = (await raw.getEntity<Row>("u|user-bob", (await chainRows("2026-11-24"))[0]!.rowKey)) as Row;
    await raw.updateEntity(
      {
        partitionKey: copy.partitionKey,
        rowKey: copy.rowKey,
        json: String(copy.json).replace("user-ann", "user-eve"),
      },
      "Merge",
    );
    const result = await verifyAudit(stores.audit);
    assert.equal(
      result.ok ? "intact" : `${result.finding.kind} ${result.finding.entryId}`,
      `altered ${entries[5]!.id}`,
    );
  });

  it("sees a whole anchored day deleted, and a rewritten anchor against an exported one", async () => {
    const [anchor] = (await closeAuditDays(stores.audit, new Date(base + DAY))).anchored;
    for (const row of await chainRows("2026-11-23")) await raw.deleteEntity(row.partitionKey, row.rowKey);
    await raw.deleteEntity("d|2026-11-23", "~head");
    let result = await verifyAudit(stores.audit);
    assert.equal(result.ok ? "intact" : result.finding.kind, "removed");
    await raw.updateEntity(
      { partitionKey: "anchors", rowKey: "2026-11-23", seq: 0, hash: "f".repeat(64) },
      "Merge",
    );
    result = await verifyAudit(stores.audit, { kept: [{ day: anchor!.day, hash: anchor!.hash }] });
    assert.equal(result.ok ? "intact" : `${result.finding.kind} ${result.finding.day}`, "altered 2026-11-23");
  });

  it("keeps one copy of an entry appended again, and refuses another entry under its id", async () => {
    await stores.audit.append([entries[0]!, entries[6]!]);
    const other = tableStoresOn(azurite(), { tablePrefix: prefix });
    await other.audit.append([entries[1]!]);
    assert.equal((await chainRows("2026-11-23")).length, 5);
    await assert.rejects(other.audit.append([{ ...entries[2]!, actor: "user-eve" }]), AuditConflictError);
    assert.equal((await stores.audit.query({ targetUserId: "user-bob", limit: 50 })).length, 8);
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it("chains concurrent appends of three instances on one day without a gap", async () => {
    const instances = [
      stores,
      tableStoresOn(azurite(), { tablePrefix: prefix }),
      tableStoresOn(azurite(), { tablePrefix: prefix }),
    ];
    const more = Array.from({ length: 30 }, (_, i) => entry(2 * DAY + i * 1000));
    await Promise.all(more.map((e, i) => instances[i % 3]!.audit.append([e])));
    const rows = await chainRows("2026-11-25");
    assert.deepEqual(
      rows.map((r) => Number(r.chainSeq)),
      more.map((_, i) => i + 1),
    );
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it("sends an entry of a closed day to the next open day, and verifies", async () => {
    await closeAuditDays(stores.audit, new Date(base + DAY));
    const late = entry(60 * 60_000);
    const fresh = tableStoresOn(azurite(), { tablePrefix: prefix });
    await fresh.audit.append([late]);
    await stores.audit.append([entries[0]!]);
    assert.equal((await chainRows("2026-11-23")).length, 5);
    assert.ok((await chainRows("2026-11-24")).some((r) => String(r.json).includes(late.id)));
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it("purges whole days past the retention and still verifies", async () => {
    const purged = await purgeAudit(stores.audit, new Date(base + 3 * DAY), 2);
    assert.deepEqual(purged, { days: ["2026-11-23"], entries: 5 });
    assert.equal((await chainRows("2026-11-23")).length, 0);
    assert.equal((await stores.audit.query({ targetUserId: "user-bob", limit: 50 })).length, 3);
    const result = await verifyAudit(stores.audit);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.summary.anchors, 2);
  });
});
