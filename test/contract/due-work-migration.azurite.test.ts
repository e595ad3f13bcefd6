import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { TABLES, TableDueWorkIndex } from "../../src/adapters/tables";
import type { DueItem } from "../../src/ports/stores";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores, freshTablePrefix } from "../support/stores";
import { at } from "./fixtures";

const item = (minutes: number, subjectId: string, discriminator = "0"): DueItem => ({
  dueAt: at(minutes),
  kind: "expiry",
  subjectId,
  discriminator,
});

/** Writes an item as the previous layout did: hour partition `due|<hour>`, and the hour's bucket row. */
async function writeOldLayout(client: TableClient, due: DueItem, claim?: { owner: string; until: string }) {
  const hour = due.dueAt.slice(0, 13);
  const rowKey = [due.dueAt, due.kind, due.subjectId, due.discriminator].join("|");
  await client.upsertEntity(
    {
      partitionKey: `due|${hour}`,
      rowKey,
      ...due,
      ...(claim ? { owner: claim.owner, claimUntil: claim.until } : {}),
    },
    "Merge",
  );
  await client.upsertEntity({ partitionKey: "buckets", rowKey: hour, touchedAt: new Date() }, "Replace");
}

async function rowsIn(client: TableClient, filter: string): Promise<number> {
  let count = 0;
  for await (const _ of client.listEntities({ queryOptions: { filter } })) count += 1;
  return count;
}

describe("due-work index: items written in the previous layout (hour partitions)", function () {
  this.timeout(30_000);
  let client: TableClient;
  let prefix: string;
  // The index's clock, moved on past the previous layout's grace for recently touched hours.
  let laterMs = 0;
  const index = () => new TableDueWorkIndex(client, { now: () => Date.now() + laterMs, legacyCheckMs: 0 });

  const azurite = azuriteForSuite();
  beforeEach(async () => {
    prefix = freshTablePrefix("mig");
    laterMs = 0;
    await azuriteStores(azurite(), { tablePrefix: prefix });
    client = TableClient.fromConnectionString(azurite().connectionString, `${prefix}${TABLES.due}`, {
      allowInsecureConnection: true,
    });
  });

  it("lists old items with new ones, oldest first, and runs each once", async () => {
    await writeOldLayout(client, item(-3 * 24 * 60, "old-days-ago"));
    await writeOldLayout(client, item(-30, "old-half-hour"));
    await writeOldLayout(client, item(24 * 60, "old-tomorrow"));
    const due = index();
    await due.schedule([item(-60, "new-hour-ago")]);
    const listed = await due.listDue(at(0), 10);
    assert.deepEqual(
      listed.map((i) => i.value.subjectId),
      ["old-days-ago", "new-hour-ago", "old-half-hour"],
    );
    for (const found of listed) await due.complete((await due.claim(found, "sweeper", at(5)))!);
    assert.deepEqual(await due.listDue(at(0), 10), []);
    // Not yet due items moved too, and the old partitions are empty.
    assert.deepEqual(
      (await due.listDue(at(2 * 24 * 60), 10)).map((i) => i.value.subjectId),
      ["old-tomorrow"],
    );
    assert.equal(await rowsIn(client, "PartitionKey ne 'due' and PartitionKey ne 'buckets'"), 0);
  });

  it("keeps an old item's live claim, and finds it once the claim expires", async () => {
    await writeOldLayout(client, item(-10, "claimed"), { owner: "old-sweeper", until: at(20) });
    const due = index();
    assert.deepEqual(await due.listDue(at(0), 10), []);
    assert.deepEqual(
      (await due.listDue(at(20), 10)).map((i) => i.value.subjectId),
      ["claimed"],
    );
  });

  it("moves idempotently: a second look or a second instance changes nothing, and drops old hours after their grace", async () => {
    await writeOldLayout(client, item(-24 * 60, "a"));
    await writeOldLayout(client, item(-80, "b", "1"));
    const first = await index().migrateLegacy();
    assert.deepEqual(first, { moved: 2, left: 2 }, "recently touched hours stay listed");
    assert.deepEqual(await index().migrateLegacy(), { moved: 0, left: 2 });
    assert.equal((await index().listDue(at(0), 10)).length, 2);
    laterMs = 11 * 60_000;
    assert.deepEqual(await index().migrateLegacy(), { moved: 0, left: 0 });
    assert.equal(await rowsIn(client, "PartitionKey eq 'buckets'"), 0);
    assert.deepEqual(
      (await index().listDue(at(0), 10)).map((i) => i.value.subjectId),
      ["a", "b"],
    );
  });

  it("removes an old item nobody moved yet (a finished effects batch)", async () => {
    const batch: DueItem = { ...item(2, "request:r1", "batch-1"), kind: "effects", payload: "{}" };
    await writeOldLayout(client, batch);
    const due = index();
    await due.remove([batch]);
    assert.deepEqual(await due.listDue(at(10), 10), []);
    assert.equal(await rowsIn(client, "PartitionKey ne 'due' and PartitionKey ne 'buckets'"), 0);
  });
});
