import assert from "node:assert/strict";
import {
  assignmentOf,
  graphWorld,
  holdings,
  requestAndApprove,
  requestOf,
  SELLERS,
  type GraphWorld,
} from "./graph-world";

const RETRY_AFTER_SECONDS = 2;

/** The principal a logged mutation item names, from its body or its `$ref` path. */
function principalOf(item: { url: string; body?: unknown }): string {
  const body = item.body as Record<string, string> | undefined;
  if (body?.principalId) return body.principalId;
  return String(body?.["@odata.id"] ?? "")
    .split("/")
    .pop()!;
}

describe("the access lifecycle while the loopback Microsoft Graph throttles", function () {
  let w: GraphWorld;

  beforeEach(async () => {
    w = await graphWorld({ maxRetries: 8 });
  });
  afterEach(() => w.stop());

  it("delivers four approved requests while every third call gets 429 with Retry-After: all granted, each change applied once", async () => {
    // Every third HTTP request and every third $batch item (reads, $batch envelopes, grants) is throttled.
    w.graph.server.faults
      .throttleEvery(3, RETRY_AFTER_SECONDS, "request")
      .throttleEvery(3, RETRY_AFTER_SECONDS, "item");

    const started = performance.now();
    const ids = await Promise.all(SELLERS.map((seller) => requestAndApprove(w, seller)));
    const elapsed = performance.now() - started;

    for (const [k, id] of ids.entries()) {
      assert.equal((await requestOf(w, id)).state, "delivered", `${SELLERS[k]}'s request`);
      assert.equal((await assignmentOf(w, id)).state, "delivered");
      assert.deepEqual(holdings(w.tenant, SELLERS[k]!), { member: true, owner: true, appRole: true });
    }

    // Nothing applied twice: one change of each kind per seller in the tenant...
    for (const change of ["memberAdded", "ownerAdded", "appRoleAssigned"] as const) {
      const applied = w.tenant.applied.filter((c) => c.change === change).map((c) => c.principalId);
      assert.deepEqual(applied.sort(), [...SELLERS].sort(), change);
    }
    assert.equal(w.tenant.servicePrincipals.get("sp-crm")!.assignments.length, SELLERS.length);
    // ...and in the server's log: per seller and route, exactly one successful mutation, and it came last.
    const mutations = w.graph.server.requestsOf("item").filter((i) => i.method === "POST");
    const byTarget = new Map<string, number[]>();
    for (const item of mutations) {
      const key = `${item.url} ${principalOf(item)}`;
      byTarget.set(key, [...(byTarget.get(key) ?? []), item.status]);
    }
    assert.equal(byTarget.size, SELLERS.length * 3);
    for (const [key, statuses] of byTarget) {
      assert.equal(statuses.filter((s) => s < 300).length, 1, `${key}: ${statuses.join(",")}`);
      assert.ok(statuses.at(-1)! < 300, `${key} ends applied`);
      assert.ok(
        statuses.slice(0, -1).every((s) => s === 429),
        `${key} only retried after 429`,
      );
    }

    const requests = w.graph.server.requestsOf("request");
    const items = w.graph.server.requestsOf("item");
    const throttledRequests = requests.filter((r) => r.status === 429);
    const throttledItems = items.filter((i) => i.status === 429);
    assert.ok(throttledRequests.length > 0 && throttledItems.length > 0);
    assert.ok(
      [...throttledRequests, ...throttledItems].every((c) => c.retryAfter === String(RETRY_AFTER_SECONDS)),
    );
    assert.ok(w.transport.stats.retries >= throttledRequests.length + throttledItems.length);
    // Each wait was exactly the Retry-After Graph sent (the sleep is virtual: it returns at once).
    assert.ok(w.waits.length > 0);
    assert.ok(
      w.waits.every((ms) => ms === RETRY_AFTER_SECONDS * 1000),
      w.waits.join(","),
    );
    const waited = w.waits.reduce((sum, ms) => sum + ms, 0);

    console.log(
      `      throttled lifecycle: ${SELLERS.length} requests, ${requests.length} HTTP requests ` +
        `(${throttledRequests.length} answered 429), ${items.length} $batch items (${throttledItems.length} answered 429), ` +
        `${w.transport.stats.retries} retries, ${w.waits.length} waits totalling ${waited} ms of virtual time, ` +
        `${Math.round(elapsed)} ms elapsed`,
    );
  });
});
