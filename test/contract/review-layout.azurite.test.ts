import assert from "node:assert/strict";
import { odata, TableClient } from "@azure/data-tables";
import { TABLES } from "../../src/adapters/tables";
import { jsonColumns } from "../../src/adapters/tables/json-columns";
import { encodeKey, invertedTime } from "../../src/adapters/tables/keys";
import type { AccessReview } from "../../src/domain/model";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores, freshTablePrefix } from "../support/stores";
import { at } from "./fixtures";
import { largeReview } from "./large-reviews.contract";

/** Writes a review as the previous layout did: all of it as JSON in `entity`, and its index rows. */
async function writeOldLayout(client: TableClient, review: AccessReview): Promise<void> {
  await client.createEntity({
    partitionKey: `e|${review.id}`,
    rowKey: "entity",
    ...jsonColumns("review", review),
  });
  const rowKey = `${invertedTime(review.createdAt)}|${encodeKey(review.id)}`;
  const reviewers = [...new Set(review.items.flatMap((i) => i.reviewers))];
  for (const pk of [`p|${review.packageId}`, ...reviewers.map((r) => `r|${r}`)])
    await client.createEntity({ partitionKey: pk, rowKey, ref: review.id });
}

async function rowsOf(client: TableClient, id: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const row of client.listEntities({
    queryOptions: { filter: odata`PartitionKey eq ${`e|${id}`}` },
  }))
    keys.push(row.rowKey!);
  return keys;
}

describe("reviews stored in the previous layout (one row per review)", function () {
  this.timeout(30_000);
  const azurite = azuriteForSuite();

  it("are read as they are, listed, and moved to header and chunks by their first decision", async () => {
    const prefix = freshTablePrefix();
    const stores = await azuriteStores(azurite(), { tablePrefix: prefix });
    const client = TableClient.fromConnectionString(azurite().connectionString, prefix + TABLES.reviews, {
      allowInsecureConnection: true,
    });
    const review = largeReview(1500, 150);
    await writeOldLayout(client, review);

    assert.deepEqual((await stores.reviews.get(review.id))?.value, review);
    assert.deepEqual(
      (await stores.reviews.listActiveForReviewer("mgr-4")).map((r) => r.id),
      [review.id],
    );
    const part = (await stores.reviews.getForReviewers(review.id, ["mgr-4"]))!;
    assert.deepEqual(
      part.value.items.map((i) => i.assignmentId),
      review.items.filter((i) => i.reviewers.includes("mgr-4")).map((i) => i.assignmentId),
    );

    const decision = { outcome: "approve" as const, by: "mgr-4", at: at(3), justification: "ok" };
    const items = part.value.items.map((i) => ({ ...i, decision }));
    await stores.reviews.update({ ...part.value, items, revision: 2 }, part.etag);

    const rows = await rowsOf(client, review.id);
    assert.ok(rows.includes("entity"));
    assert.ok(rows.filter((k) => k.startsWith("c|")).length >= 15, "items moved to chunks of at most 100");
    const after = (await stores.reviews.get(review.id))!.value;
    assert.equal(after.revision, 2);
    assert.deepEqual(
      after.items.map(({ decision: _decided, ...item }) => item),
      review.items,
    );
    assert.equal(after.items.filter((i) => i.decision).length, 10);
    assert.deepEqual(await stores.reviews.listActiveForReviewer("mgr-4"), []);
    assert.equal((await stores.reviews.listActiveForReviewer("mgr-5")).length, 1);
  });
});
