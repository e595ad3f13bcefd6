/**
 * Captures a store written by the storage layout of commit 23d5e8c (hour partitions for due work,
 * unchained audit rows) as a JSON fixture, for test/migration/storage-migration.azurite.test.ts.
 * It runs that commit's own code, so the rows are exactly what it wrote:
 *
 *   git worktree add /tmp/old23 23d5e8c && ln -s "$PWD/node_modules" /tmp/old23/node_modules
 *   mkdir -p /tmp/old23/test/migration && cp test/migration/capture-old-layout.ts /tmp/old23/test/migration/
 *   (cd /tmp/old23 && npx tsx test/migration/capture-old-layout.ts) > test/migration/fixtures/store-23d5e8c.json
 *
 * A later layout change captures the layout before it the same way, naming the commit:
 * `CAPTURE_COMMIT=7bbb26e` in a worktree of 7bbb26e gave fixtures/store-7bbb26e.json.
 *
 * What it runs, on a fixed clock: on 2026-11-20 a full lifecycle (submit, both approvals,
 * delivery) and a submit left pending; on 2026-11-21 another full lifecycle and the pending
 * request's first approval. Rows are dumped with their property types, timestamps and ETags left out.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import {
  DEMO,
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
  loadOrganization,
} from "../../src/adapters/local-directory";
import { FixedClock } from "../../src/adapters/runtime/clock";
import { RandomIds } from "../../src/adapters/runtime/ids";
import { TABLES } from "../../src/adapters/tables";
import { decideApproval } from "../../src/app/decide-approval";
import { silentEvents } from "../../src/app/notify/silent-events";
import { submitRequest } from "../../src/app/submit-request";
import type { DirectoryUser } from "../../src/domain/model";
import { loadGovernance } from "../../src/governance";
import { startAzurite } from "../support/azurite";
import { azuriteStores } from "../support/stores";
import { buildWorld } from "../support/world";

const ROOT = path.resolve(__dirname, "../..");
const PREFIX = "old";

function employee(n: number): DirectoryUser {
  return {
    id: `cccccccc-0003-4000-8000-${String(n).padStart(12, "0")}`,
    displayName: `Migrated Employee ${n}`,
    userPrincipalName: `migrated.employee.${n}@contoso.com`,
    department: "Finance",
    jobTitle: "Analyst",
    country: "DE",
    companyName: "Contoso",
    userType: "Member",
    accountEnabled: true,
    managerId: DEMO.managerOfFred,
  };
}

async function main(): Promise<void> {
  const azurite = await startAzurite({ inMemory: true });
  try {
    const governance = await loadGovernance(path.join(ROOT, "governance"));
    assert.ok(governance.ok);
    const stores = await azuriteStores(azurite, { tablePrefix: PREFIX, governance: governance.config });
    const people = [1, 2, 3].map(employee);
    const organization = loadOrganization(path.join(ROOT, "demo/organization.yaml"));
    const directory = new LocalDirectory(
      { ...organization, users: [...organization.users, ...people] },
      new MemoryMembershipStore(),
    );
    const clock = new FixedClock("2026-11-20T09:00:00.000Z");
    const { deps } = buildWorld({
      stores,
      directory,
      provisioner: new LocalProvisioner(directory),
      events: silentEvents(stores.due),
      clock,
      ids: new RandomIds(clock),
    });
    const base = { justification: "Quarterly reporting", source: "test" };
    const submit = async (person: DirectoryUser) => {
      const submitted = await submitRequest(deps, {
        ...base,
        actorId: person.id,
        packageId: "business-analyst",
        answers: {},
      });
      assert.ok(submitted.ok, JSON.stringify(!submitted.ok && submitted.error));
      return submitted.value.request.id;
    };
    const approve = async (requestId: string, stage: 1 | 2) => {
      const actorId = stage === 1 ? DEMO.managerOfFred : DEMO.securityApprover;
      const decided = await decideApproval(deps, { ...base, actorId, requestId, stage, outcome: "approve" });
      assert.ok(decided.ok, JSON.stringify(!decided.ok && decided.error));
      await decided.value.followUp;
    };
    const lifecycle = async (person: DirectoryUser) => {
      const id = await submit(person);
      clock.advance(20 * 60_000);
      await approve(id, 1);
      clock.advance(20 * 60_000);
      await approve(id, 2);
    };

    await lifecycle(people[0]!);
    clock.advance(60 * 60_000);
    const pending = await submit(people[1]!);
    clock.set(new Date("2026-11-21T15:00:00.000Z"));
    await lifecycle(people[2]!);
    clock.advance(30 * 60_000);
    await approve(pending, 1);

    const dump: Record<string, unknown[]> = {};
    for (const table of Object.values(TABLES)) {
      const client = TableClient.fromConnectionString(azurite.connectionString, PREFIX + table, {
        allowInsecureConnection: true,
      });
      const rows: unknown[] = [];
      for await (const row of client.listEntities({ disableTypeConversion: true })) {
        const { etag: _e, timestamp: _t, "odata.metadata": _m, ...rest } = row as Record<string, unknown>;
        rows.push(rest);
      }
      dump[table] = rows;
    }
    const commit = process.env.CAPTURE_COMMIT ?? "23d5e8c";
    process.stdout.write(`${JSON.stringify({ commit, tables: dump }, null, 1)}\n`);
  } finally {
    await azurite.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
