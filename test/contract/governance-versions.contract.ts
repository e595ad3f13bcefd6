import assert from "node:assert/strict";
import type { AuditEntry, GovernanceConfig } from "../../src/domain/model";
import { AlreadyExistsError, ConcurrencyError } from "../../src/ports/versioned";
import type { StoreContext } from "./harness";

export function catalogs(...names: string[]): GovernanceConfig {
  return {
    catalogs: names.map((name) => ({
      id: `cat/${name}`,
      name,
      description: "",
      owners: ["user-a"],
      enabled: true,
      externallyVisible: false,
    })),
    packages: [],
    policies: [],
    connectedOrganizations: [],
  };
}

const entry = (id: string): AuditEntry => ({
  id,
  at: "2026-11-23T10:00:00.000Z",
  actor: "user-a",
  action: "config.changed",
  subject: `catalog:${id}`,
  source: "contract",
});

/** Versions, the switch, owed audit rows and pruning: the same on every GovernanceStore. */
export function governanceVersionContract(ctx: StoreContext): void {
  describe("governance versions", () => {
    it("switches from the version a change was decided on, and names the new one current", async () => {
      const { governance } = ctx.stores();
      assert.equal((await governance.current()).version, undefined);
      await governance.publish({ version: "v1", base: undefined, config: catalogs("one"), audit: [] });
      await governance.publish({ version: "v2", base: "v1", config: catalogs("two", "three"), audit: [] });
      assert.deepEqual(await governance.current(), { version: "v2", config: catalogs("two", "three") });
      assert.deepEqual(await governance.load(), catalogs("two", "three"));
    });

    it("refuses a change decided on a version that is no longer current, and keeps the winner's", async () => {
      const { governance } = ctx.stores();
      await governance.publish({ version: "v1", base: undefined, config: catalogs("one"), audit: [] });
      await governance.publish({ version: "v2", base: "v1", config: catalogs("winner"), audit: [] });
      await assert.rejects(
        governance.publish({ version: "v3", base: "v1", config: catalogs("loser"), audit: [entry("x")] }),
        ConcurrencyError,
      );
      await assert.rejects(
        governance.publish({ version: "v4", base: undefined, config: catalogs("loser"), audit: [] }),
        ConcurrencyError,
      );
      assert.deepEqual(await governance.current(), { version: "v2", config: catalogs("winner") });
      assert.deepEqual(await governance.owedAudit(), [], "a lost switch owes nothing");
    });

    it("refuses a version id used before", async () => {
      const { governance } = ctx.stores();
      await governance.publish({ version: "v1", base: undefined, config: catalogs("one"), audit: [] });
      await assert.rejects(
        governance.publish({ version: "v1", base: "v1", config: catalogs("two"), audit: [] }),
        AlreadyExistsError,
      );
      assert.deepEqual(await governance.load(), catalogs("one"));
    });

    it("owes a switch's audit rows, across later switches, until they are confirmed", async () => {
      const { governance } = ctx.stores();
      const first = [entry("v1-0"), entry("v1-1")];
      await governance.publish({ version: "v1", base: undefined, config: catalogs("one"), audit: first });
      await governance.publish({ version: "v2", base: "v1", config: catalogs("two"), audit: [] });
      await governance.publish({ version: "v3", base: "v2", config: catalogs("3"), audit: [entry("v3-0")] });
      await governance.prune();
      assert.deepEqual(await governance.owedAudit(), [
        { version: "v1", entries: first },
        { version: "v3", entries: [entry("v3-0")] },
      ]);
      await governance.confirmAudited(["v1"]);
      await governance.confirmAudited(["v1"]);
      assert.deepEqual(await governance.owedAudit(), [{ version: "v3", entries: [entry("v3-0")] }]);
      await governance.confirmAudited(["v3"]);
      assert.deepEqual(await governance.owedAudit(), []);
    });

    it("keeps the current configuration through pruning after many switches", async () => {
      const { governance } = ctx.stores();
      let base: string | undefined;
      for (let i = 1; i <= 6; i += 1) {
        await governance.publish({ version: `v${i}`, base, config: catalogs(`c${i}`), audit: [] });
        base = `v${i}`;
        await governance.prune();
      }
      assert.deepEqual(await governance.current(), { version: "v6", config: catalogs("c6") });
      await governance.save(catalogs("saved"));
      assert.deepEqual(await governance.load(), catalogs("saved"));
    });
  });
}
