import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { PartitionWriter } from "../../src/adapters/tables/batches";
import { startTraceProxy } from "../../bench/trace-proxy";
import { startAzurite, type RunningAzurite } from "../support/azurite";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("group commit of rows of one partition (PartitionWriter, Azurite)", function () {
  this.timeout(30_000);
  let azurite: RunningAzurite;
  let proxy: Awaited<ReturnType<typeof startTraceProxy>>;
  let client: TableClient;

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    proxy = await startTraceProxy(azurite.port);
    const viaProxy = azurite.connectionString.replace(`127.0.0.1:${azurite.port}`, `127.0.0.1:${proxy.port}`);
    client = TableClient.fromConnectionString(viaProxy, "GroupCommit", { allowInsecureConnection: true });
    await client.createTable();
  });
  after(async () => {
    await proxy?.close();
    await azurite?.stop();
  });

  /** Four rows arriving 5 ms apart; the storage requests they cost and what was stored. */
  async function fourRowsApart(writer: PartitionWriter, partitionKey: string, lingerMs?: number) {
    const from = proxy.operations.length;
    const written: Promise<void>[] = [];
    for (let i = 0; i < 4; i++) {
      written.push(writer.upsert({ partitionKey, rowKey: `r${i}`, n: i }, "Replace", lingerMs));
      await pause(5);
    }
    await Promise.all(written);
    const requests = proxy.operations.slice(from).map((o) => o.what);
    const rows = [];
    for await (const row of client.listEntities({
      queryOptions: { filter: `PartitionKey eq '${partitionKey}'` },
    }))
      rows.push(row.rowKey);
    return { requests, rows };
  }

  it("sends a row that finds its partition idle at once, and those arriving meanwhile together", async () => {
    const { requests, rows } = await fourRowsApart(new PartitionWriter(client), "now");
    assert.deepEqual(rows, ["r0", "r1", "r2", "r3"]);
    assert.ok(requests.length >= 2, `the first row alone: ${requests.join(", ")}`);
  });

  it("with a linger, rows arriving a few milliseconds apart share one transaction, each caller waiting for it", async () => {
    const { requests, rows } = await fourRowsApart(new PartitionWriter(client, { lingerMs: 50 }), "linger");
    assert.deepEqual(rows, ["r0", "r1", "r2", "r3"]);
    assert.deepEqual(requests, ["$batch GroupCommit linger (4 ops)"]);
  });

  it("lingers for a row that asks to, on a writer that otherwise sends at once", async () => {
    const writer = new PartitionWriter(client);
    const { requests, rows } = await fourRowsApart(writer, "asked", 50);
    assert.deepEqual(rows, ["r0", "r1", "r2", "r3"]);
    assert.deepEqual(requests, ["$batch GroupCommit asked (4 ops)"]);
  });

  async function rowsOf(partitionKey: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    for await (const row of client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${partitionKey}'` },
    }))
      rows.push(row);
    return rows;
  }

  it("sends deletes that meet upserts in a partition in the same transaction", async () => {
    const writer = new PartitionWriter(client);
    await writer.upsertAll(
      ["a", "b"].map((rowKey) => ({ partitionKey: "mixed", rowKey })),
      "Replace",
    );
    const from = proxy.operations.length;
    await Promise.all([
      writer.delete({ partitionKey: "mixed", rowKey: "a" }, 50),
      writer.delete({ partitionKey: "mixed", rowKey: "b" }),
      writer.upsert({ partitionKey: "mixed", rowKey: "c" }, "Replace"),
    ]);
    assert.deepEqual(
      proxy.operations.slice(from).map((o) => o.what),
      ["$batch GroupCommit mixed (3 ops)"],
    );
    assert.deepEqual(
      (await rowsOf("mixed")).map((r) => r.rowKey),
      ["c"],
    );
  });

  it("counts a delete of a row that is not there as done, and still writes the rows beside it", async () => {
    const writer = new PartitionWriter(client);
    await writer.upsert({ partitionKey: "gone", rowKey: "kept" }, "Replace");
    await Promise.all([
      writer.delete({ partitionKey: "gone", rowKey: "never-written" }),
      writer.delete({ partitionKey: "gone", rowKey: "kept" }),
      writer.upsert({ partitionKey: "gone", rowKey: "new" }, "Replace"),
    ]);
    assert.deepEqual(
      (await rowsOf("gone")).map((r) => r.rowKey),
      ["new"],
    );
  });

  it("sends lingering rows at once, with it, when a row that does not linger joins them", async () => {
    const writer = new PartitionWriter(client);
    const from = proxy.operations.length;
    const lingering = writer.upsert({ partitionKey: "cut", rowKey: "later" }, "Replace", 5_000);
    await pause(5);
    const waitedFor = writer.upsert({ partitionKey: "cut", rowKey: "now" }, "Replace");
    const first = await Promise.race([
      waitedFor.then(() => "written"),
      pause(2_500).then(() => "still lingering"),
    ]);
    assert.equal(first, "written");
    await lingering;
    assert.deepEqual(
      proxy.operations.slice(from).map((o) => o.what),
      ["$batch GroupCommit cut (2 ops)"],
    );
  });

  it("leaves a row queued twice as the two writes in order would", async () => {
    const writer = new PartitionWriter(client);
    await writer.upsert({ partitionKey: "order", rowKey: "r", old: "x", kept: "y" }, "Replace");
    // Each pair is queued while the partition is busy, so the two meet in one queue.
    const busy = writer.upsert({ partitionKey: "order", rowKey: "busy" }, "Replace");
    const pairs = [
      writer.delete({ partitionKey: "order", rowKey: "r" }),
      writer.upsert({ partitionKey: "order", rowKey: "r", fresh: "z" }, "Merge"),
      writer.upsert({ partitionKey: "order", rowKey: "s" }, "Replace"),
      writer.delete({ partitionKey: "order", rowKey: "s" }),
    ];
    await Promise.all([busy, ...pairs]);
    const rows = await rowsOf("order");
    assert.deepEqual(
      rows.map((r) => r.rowKey),
      ["busy", "r"],
    );
    const r = rows.find((row) => row.rowKey === "r")!;
    assert.equal(r.fresh, "z");
    assert.equal(r.old, undefined, "a Merge after a delete does not bring back the deleted row's columns");
  });
});
