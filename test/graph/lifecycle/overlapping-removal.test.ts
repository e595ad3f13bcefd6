import assert from "node:assert/strict";
import { removeAssignment } from "../../../src/app/remove-assignment";
import { assignmentOf, graphWorld, requestDirect, unwrap, type GraphWorld } from "./graph-world";

describe("removal that overlaps other access, against the loopback Microsoft Graph", () => {
  let w: GraphWorld;

  beforeEach(async () => {
    w = await graphWorld();
  });
  afterEach(() => w.stop());

  const member = (group: string) => w.tenant.groups.get(group)!.members.has("alice");
  const changes = (change: string, group: string) =>
    w.tenant.applied.filter((c) => c.change === change && c.targetId === group && c.principalId === "alice");
  const remove = async (assignmentId: string) =>
    unwrap(
      await removeAssignment(w.deps, {
        actorId: "alice",
        as: "user",
        assignmentId,
        reason: "No longer needed",
        source: "chat:command",
      }),
    );

  /** Reporting grants CRM users; Dashboards grants CRM users too, and the wiki alice already edits. */
  async function grantBoth() {
    const reporting = await assignmentOf(w, await requestDirect(w, "alice", "pkg-reporting"));
    const dashboards = await assignmentOf(w, await requestDirect(w, "alice", "pkg-dashboards"));
    assert.equal(reporting.state, "delivered");
    assert.equal(dashboards.state, "delivered");
    assert.ok(member("crm-users") && member("grp-wiki"));
    assert.equal(changes("memberAdded", "crm-users").length, 1, "the second grant found alice already in");
    assert.deepEqual(
      dashboards.resources.map((r) => [r.role.displayName, r.heldBefore]),
      [
        ["CRM users", false],
        ["Wiki editors", true],
      ],
      "CRM users came from the other assignment, the wiki was alice's before",
    );
    return { reporting, dashboards };
  }

  for (const order of ["earlier", "later"] as const) {
    it(`keeps a group while another assignment grants it, revokes it with the last one (${order} assignment removed first), never the group held before`, async () => {
      const { reporting, dashboards } = await grantBoth();
      const [first, second] = order === "earlier" ? [reporting, dashboards] : [dashboards, reporting];

      await remove(first.id);
      assert.ok(member("crm-users"), "the other assignment still grants CRM users");
      assert.equal(changes("memberRemoved", "crm-users").length, 0);

      await remove(second.id);
      assert.ok(!member("crm-users"), "the last assignment granting CRM users is gone");
      assert.equal(changes("memberRemoved", "crm-users").length, 1);
      const removal = w.graph.server
        .requestsOf("item")
        .filter((i) => i.method === "DELETE" && i.url.includes("crm-users"));
      assert.deepEqual(
        removal.map((i) => [i.url, i.status]),
        [["/groups/crm-users/members/alice/$ref", 204]],
      );

      assert.ok(member("grp-wiki"), "the wiki membership alice held before is kept");
      assert.equal(changes("memberRemoved", "grp-wiki").length, 0);
      assert.equal(changes("memberAdded", "grp-wiki").length, 0);
      assert.ok(
        !w.graph.server.log.some((c) => c.method === "DELETE" && c.url.includes("grp-wiki")),
        "no removal was even asked for the wiki",
      );
    });
  }
});
