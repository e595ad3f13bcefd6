import { TableClient } from "@azure/data-tables";
import { runConcurrently, type Timing } from "./measure";

/**
 * The raw storage floor: point reads and ETag-checked updates at the same concurrency the lifecycle
 * benchmark uses. Lifecycle throughput is judged against this.
 */
export async function measureFloor(
  connectionString: string,
  concurrency: number,
  operations: number,
): Promise<{ reads: Timing; updates: Timing; opsPerSecond: number }> {
  const table = TableClient.fromConnectionString(connectionString, "benchfloor", {
    allowInsecureConnection: true,
  });
  await table.createTable();
  const rows = 200;
  await runConcurrently(rows, concurrency, async (i) => {
    await table.upsertEntity({
      partitionKey: `p${i}`,
      rowKey: "r",
      json: JSON.stringify({ i, pad: "x".repeat(600) }),
    });
  });
  const reads = await runConcurrently(operations, concurrency, async (i) => {
    await table.getEntity(`p${i % rows}`, "r");
  });
  const updates = await runConcurrently(operations, concurrency, async (i) => {
    // Each worker reads then updates with the ETag, like a use case's compare-and-swap.
    const key = `p${i % rows}`;
    const entity = await table.getEntity<{ json: string }>(key, "r");
    await table
      .updateEntity({ partitionKey: key, rowKey: "r", json: entity.json }, "Replace", { etag: entity.etag })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 412) throw error;
      });
  });
  // An update above costs two operations (read + write); the floor is operations per second.
  const opsPerSecond = (reads.perSecond + updates.perSecond * 2) / 2;
  return { reads, updates, opsPerSecond };
}
