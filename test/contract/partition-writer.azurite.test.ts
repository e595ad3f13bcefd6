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
});
