import assert from "node:assert/strict";
import type { ResourceRole } from "../../src/domain/model";
import { GraphProvisioner } from "../../src/adapters/graph/graph-provisioner";
import { startGraph, type GraphHarness } from "./support/fixture";

const crm: ResourceRole = { kind: "groupMember", groupId: "crm-users", displayName: "CRM users" };
const USERS = 200;
/** Timers may fire a millisecond early against performance.now(). */
const TIMER_SLACK_MS = 2;

describe("Graph provisioning under a throttling storm", function () {
  this.timeout(30_000);
  let g: GraphHarness;

  before(async () => {
    g = await startGraph();
    g.server.tenant.addGroup("crm-users", "CRM users");
    for (let i = 0; i < USERS; i++) g.server.tenant.addUser({ id: `user-${i}`, displayName: `User ${i}` });
  });
  after(() => g.stop());

  it("grants 200 users while a quarter of the items and one whole batch get 429: all done, each applied once, every Retry-After kept", async () => {
    g.server.faults.throttleNext(1, 1, "request").throttleEvery(4, 1, "item");
    const transport = g.transport({ retry: { maxRetries: 10 } });
    const provisioner = new GraphProvisioner(transport);
    const ops = Array.from({ length: USERS }, (_, i) => ({
      action: "grant" as const,
      userId: `user-${i}`,
      role: crm,
    }));

    const started = performance.now();
    const outcomes = await provisioner.apply(ops);
    const elapsed = performance.now() - started;

    assert.ok(
      outcomes.every((o) => o.status === "done"),
      JSON.stringify(outcomes.filter((o) => o.status !== "done")),
    );
    // Nothing lost, nothing applied twice: one add per user, in the tenant and in the server's log.
    const adds = g.server.tenant.applied.filter((c) => c.change === "memberAdded");
    assert.equal(adds.length, USERS);
    assert.equal(new Set(adds.map((c) => c.principalId)).size, USERS);
    assert.equal(g.server.tenant.groups.get("crm-users")!.members.size, USERS);

    const items = g.server.requestsOf("item");
    const requests = g.server.requestsOf("request");
    const byUser = new Map<string, typeof items>();
    for (const item of items) {
      const user = String((item.body as Record<string, string>)["@odata.id"])
        .split("/")
        .pop()!;
      byUser.set(user, [...(byUser.get(user) ?? []), item]);
    }
    assert.equal(byUser.size, USERS);
    for (const [user, attempts] of byUser) {
      assert.equal(attempts.filter((a) => a.status === 204).length, 1, `${user} added once`);
      assert.equal(attempts.at(-1)!.status, 204, `${user} ends added`);
      for (let k = 1; k < attempts.length; k++) {
        const gap = attempts[k].at - attempts[k - 1].at;
        assert.ok(gap >= 1000 - TIMER_SLACK_MS, `${user} retried after ${gap.toFixed(0)} ms`);
      }
    }
    // After the whole-batch 429, nothing was sent before its Retry-After passed.
    const wholeThrottle = requests.find((r) => r.status === 429)!;
    const next = requests[requests.indexOf(wholeThrottle) + 1];
    assert.ok(next.at - wholeThrottle.at >= 1000 - TIMER_SLACK_MS);
    for (const batch of new Set(items.map((i) => i.batch)))
      assert.ok(items.filter((i) => i.batch === batch).length <= 20);

    const throttledItems = items.filter((i) => i.status === 429).length;
    console.log(
      `      storm: ${USERS} grants, ${requests.length} HTTP requests ($batch), ${items.length} batch items ` +
        `(${throttledItems} item 429s + 1 whole-batch 429), ${transport.stats.retries} retries, ` +
        `${transport.stats.waits.length} waits (${transport.stats.waits.map((w) => Math.round(w)).join(", ")} ms), ${Math.round(elapsed)} ms elapsed`,
    );
  });
});
