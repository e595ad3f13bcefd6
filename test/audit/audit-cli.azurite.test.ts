import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import type { TableStores } from "../../src/adapters/tables";
import { runAuditCli } from "../../src/cli/audit";
import type { AuditEntry } from "../../src/domain/model";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores, freshTablePrefix } from "../support/stores";

const DAY = 86_400_000;
const base = Date.UTC(2026, 10, 23, 9, 0);
const entry = (n: number, ms: number): AuditEntry => ({
  id: `aud-cli-${n}`,
  at: new Date(base + ms).toISOString(),
  actor: "user-ann",
  action: "request.submitted",
  subject: `request:r${n}`,
  targetUserId: "user-ann",
  source: "card:request.submit",
});

describe("npm run audit -- verify | anchors | purge", function () {
  this.timeout(30_000);
  let stores: TableStores;
  let prefix: string;

  const azurite = azuriteForSuite();
  beforeEach(async () => {
    prefix = freshTablePrefix("cli");
    stores = await azuriteStores(azurite(), { tablePrefix: prefix });
    await stores.audit.append([entry(1, 0), entry(2, 60_000), entry(3, DAY), entry(4, 2 * DAY)]);
  });

  async function run(argv: string[], now = new Date(base + 3 * DAY), files = new Map<string, string>()) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuditCli(argv, {
      openLog: () => stores.audit,
      openChain: () => stores.audit,
      now,
      retentionDays: 2557,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      writeFile: (f, t) => files.set(f, t),
      readFile: (f) => files.get(f) ?? "",
    });
    return { code, stdout: out.join(""), stderr: err.join(""), files };
  }

  it("exits 0 with a summary when the trail is intact, and exports each closed day's anchor", async () => {
    const anchors = await run(["anchors", "--out", "anchors.txt"]);
    assert.equal(anchors.code, 0, anchors.stderr);
    const lines = anchors.files.get("anchors.txt")!.trim().split("\n");
    assert.deepEqual(
      lines.map((l) => l.split(" ").slice(0, 2).join(" ")),
      ["2026-11-23 2", "2026-11-24 1", "2026-11-25 1"],
    );
    const verified = await run(["verify", "--anchors", "anchors.txt"], undefined, anchors.files);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /intact: 3 days, 4 entries, 3 anchors .*3 exported anchors matched/);
  });

  it("exits 1 naming the entry changed in storage", async () => {
    const raw = TableClient.fromConnectionString(azurite().connectionString, `${prefix}Audit`, {
      allowInsecureConnection: true,
    });
    for await (const row of raw.listEntities<{ json: string }>({
      queryOptions: { filter: "PartitionKey eq 'd|2026-11-24'" },
    }))
      if (row.rowKey !== "~head")
        await raw.updateEntity(
          { partitionKey: row.partitionKey!, rowKey: row.rowKey!, json: row.json.replace("r3", "r9") },
          "Merge",
        );
    const result = await run(["verify", "--from", "2026-11-24"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /NOT intact: altered: day 2026-11-24 seq 1 entry aud-cli-3/);
  });

  it("purges whole days past the retention, keeps their anchors, and still verifies", async () => {
    const purged = await run(["purge", "--retention-days", "1"]);
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /purged 2 days \(3 entries\) older than 1 days/);
    const verified = await run(["verify"]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /1 entries, 3 anchors \(2 purged days\)/);
  });

  it("exits 2 on a bad argument, naming it", async () => {
    const result = await run(["verify", "--from", "2026-02-30"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--from "2026-02-30" is not valid/);
  });
});
