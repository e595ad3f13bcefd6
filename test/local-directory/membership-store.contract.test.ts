import assert from "node:assert/strict";
import {
  MemoryMembershipStore,
  TableMembershipStore,
  type MembershipStore,
} from "../../src/adapters/local-directory";
import { azuriteForSuite } from "../support/azurite";

const GROUP = "group:22222222-0000-4000-8000-000000000001:member";
const APP = "app:33333333-0000-4000-8000-000000000001:44444444-0000-4000-8000-000000000001";
// A guest UPN-like id: "#" and "/" must not break table keys.
const GUEST = "tomas.novak_fabrikam.com#EXT#/x";

function contract(name: string, make: () => Promise<MembershipStore>) {
  describe(`membership store contract: ${name}`, () => {
    let store: MembershipStore;
    beforeEach(async () => {
      store = await make();
    });

    it("knows nothing about a pair provisioning never touched", async () => {
      assert.equal(await store.get(GROUP, "u1"), undefined);
      assert.deepEqual([...(await store.listByResource(GROUP))], []);
      assert.deepEqual([...(await store.listByUser("u1"))], []);
    });

    it("reads a change back in both directions", async () => {
      await store.set(GROUP, "u1", true);
      await store.set(APP, "u1", false);
      await store.set(GROUP, GUEST, true);
      assert.equal(await store.get(GROUP, "u1"), true);
      assert.equal(await store.get(APP, "u1"), false);
      assert.deepEqual(
        new Map([...(await store.listByResource(GROUP))].sort()),
        new Map(
          [
            ["u1", true],
            [GUEST, true],
          ].sort() as [string, boolean][],
        ),
      );
      assert.deepEqual(
        new Map([...(await store.listByUser("u1"))].sort()),
        new Map(
          [
            [APP, false],
            [GROUP, true],
          ].sort() as [string, boolean][],
        ),
      );
      assert.deepEqual([...(await store.listByUser(GUEST))], [[GROUP, true]]);
    });

    it("keeps the latest state when a pair is set again", async () => {
      await store.set(GROUP, "u1", true);
      await store.set(GROUP, "u1", false);
      await store.set(GROUP, "u1", false);
      assert.equal(await store.get(GROUP, "u1"), false);
      assert.deepEqual([...(await store.listByResource(GROUP))], [["u1", false]]);
    });

    it("does not mix up ids that share a prefix", async () => {
      await store.set(GROUP, "u1", true);
      await store.set(GROUP, "u10", true);
      await store.set(`${GROUP}x`, "u1", true);
      assert.deepEqual([...(await store.listByResource(GROUP))].map(([u]) => u).sort(), ["u1", "u10"]);
      assert.deepEqual([...(await store.listByUser("u1"))].map(([r]) => r).sort(), [GROUP, `${GROUP}x`]);
    });
  });
}

contract("memory", async () => new MemoryMembershipStore());

describe("membership store on Azurite", () => {
  const azurite = azuriteForSuite();
  let n = 0;

  contract("Azure Table Storage", async () => {
    const store = TableMembershipStore.fromConnectionString(azurite().connectionString, `Memberships${++n}`);
    await store.ensureTable();
    return store;
  });
});
