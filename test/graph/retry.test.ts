import assert from "node:assert/strict";
import type { ResourceRole } from "../../src/domain/model";
import { GraphProvisioner } from "../../src/adapters/graph/graph-provisioner";
import { backoffDelay, DEFAULT_RETRY_OPTIONS, parseRetryAfter } from "../../src/adapters/graph/retry-policy";
import { graphError } from "./support/graph-errors";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";
import { seedOrg } from "./support/seed";

const member = (groupId: string): ResourceRole => ({ kind: "groupMember", groupId, displayName: groupId });
const grant = (userId: string, groupId = "crm-users") => ({
  action: "grant" as const,
  userId,
  role: member(groupId),
});

describe("Graph retry policy", () => {
  let g: GraphHarness;
  let sleeper: ReturnType<typeof instantSleep>;

  beforeEach(async () => {
    g = await startGraph();
    seedOrg(g.server.tenant);
    sleeper = instantSleep();
  });
  afterEach(() => g.stop());

  const provisioner = (retry = {}) => new GraphProvisioner(g.transport({ retry, runtime: sleeper.runtime }));
  const items = () => g.server.requestsOf("item");

  it("reads Retry-After as seconds or as an HTTP date", () => {
    assert.equal(parseRetryAfter("3", 0), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
  });

  it("doubles the backoff each retry, with jitter, up to the cap", () => {
    const opts = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((r) => backoffDelay(r, opts, () => 0)),
      [50, 100, 200, 400, 500],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((r) => backoffDelay(r, opts, () => 1)),
      [100, 200, 400, 800, 1000],
    );
  });

  it("retries only the throttled item of a batch, after that item's Retry-After", async () => {
    g.server.faults.throttleNext(1, 3, "item");
    const outcomes = await provisioner().apply([grant("eve"), grant("ada"), grant("bob")]);
    assert.deepEqual(outcomes, [{ status: "done" }, { status: "done" }, { status: "done" }]);
    assert.deepEqual(sleeper.waits, [3000]);
    assert.equal(items().length, 4);
    assert.equal(g.server.tenant.applied.length, 3);
  });

  it("holds back a whole throttled $batch for its Retry-After", async () => {
    g.server.faults.throttleNext(1, 2, "request");
    const outcomes = await provisioner().apply([grant("eve"), grant("ada")]);
    assert.deepEqual(outcomes, [{ status: "done" }, { status: "done" }]);
    assert.deepEqual(sleeper.waits, [2000]);
    assert.deepEqual(
      g.server.requestsOf("request").map((c) => c.status),
      [429, 200],
    );
  });

  it("backs off exponentially on 503 and succeeds", async () => {
    g.server.faults.failNext(2, 503, "item");
    const outcomes = await provisioner({ baseDelayMs: 200 }).apply([grant("eve")]);
    assert.deepEqual(outcomes, [{ status: "done" }]);
    assert.deepEqual(sleeper.waits, [150, 300]); // 200·2^n, half fixed + half × jitter 0.5
  });

  it("backs off when a whole request answers 503 or 504", async () => {
    g.server.faults.failNext(1, 503, "request").failNext(1, 504, "request");
    const outcomes = await provisioner({ baseDelayMs: 200 }).apply([grant("eve")]);
    assert.deepEqual(outcomes, [{ status: "done" }]);
    assert.equal(sleeper.waits.length, 2);
  });

  it("treats a timed-out request as retryable, and a lost answer to an applied grant as unchanged", async () => {
    g.server.stallNext(1, 1500);
    const outcomes = await provisioner({ requestTimeoutMs: 200, baseDelayMs: 10 }).apply([grant("eve")]);
    assert.deepEqual(outcomes, [{ status: "unchanged" }]);
    assert.equal(sleeper.waits.length, 1);
    assert.equal(g.server.tenant.applied.length, 1, "applied once, not twice");
  });

  it("never retries a 4xx that will not change, and reports it as not retryable", async () => {
    g.server.faults.failMatching(
      (_m, path) => path.startsWith("/groups/sales/"),
      () =>
        graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    );
    const outcomes = await provisioner().apply([grant("eve", "sales"), grant("eve", "nope")]);
    assert.deepEqual(
      outcomes.map((o) => o.status === "failed" && o.retryable),
      [false, false],
    );
    assert.match(outcomes[0].status === "failed" ? outcomes[0].error : "", /403 Authorization_RequestDenied/);
    assert.equal(items().length, 2);
    assert.deepEqual(sleeper.waits, []);
  });

  it("gives each item of a partly failing batch its own outcome", async () => {
    g.server.faults.failMatching(
      (_m, path) => path.startsWith("/groups/sales/"),
      () =>
        graphError(
          400,
          "Request_BadRequest",
          "Cannot Update a mail-enabled security groups and or distribution list.",
        ),
    );
    g.server.tenant.groups.get("crm-users")!.members.add("ada");
    const outcomes = await provisioner().apply([
      grant("eve"),
      grant("eve", "sales"),
      grant("ada"),
      grant("eve", "missing-group"),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["done", "failed", "unchanged", "failed"],
    );
    assert.equal(g.server.requestsOf("request").length, 1);
  });

  it("stops at the retry budget and says when to try again", async () => {
    g.server.faults.throttleEvery(1, 7, "item");
    const outcomes = await provisioner({ maxRetries: 2 }).apply([grant("eve")]);
    assert.deepEqual(outcomes, [
      {
        status: "failed",
        retryable: true,
        retryAfterMs: 7000,
        error: "429 TooManyRequests: Too many requests, retry after the indicated time.",
      },
    ]);
    assert.equal(items().length, 3);
    assert.deepEqual(sleeper.waits, [7000, 7000]);
  });

  it("does not wait past the time budget: a long Retry-After fails at once as retryable", async () => {
    g.server.faults.throttleNext(1, 120, "item");
    const [outcome] = await provisioner({ maxElapsedMs: 60_000 }).apply([grant("eve")]);
    assert.equal(outcome.status, "failed");
    assert.equal(outcome.status === "failed" && outcome.retryable, true);
    assert.equal(outcome.status === "failed" && outcome.retryAfterMs, 120_000);
    assert.deepEqual(sleeper.waits, []);
  });

  it("respects a real one-second Retry-After, measured at the server", async () => {
    g.server.faults.throttleNext(1, 1, "item");
    const real = new GraphProvisioner(g.transport());
    const outcomes = await real.apply([grant("eve"), grant("ada")]);
    assert.deepEqual(outcomes, [{ status: "done" }, { status: "done" }]);
    const [throttled] = items().filter((c) => c.status === 429);
    const retried = items().find(
      (c) => c.at > throttled.at && JSON.stringify(c.body) === JSON.stringify(throttled.body),
    )!;
    const gap = retried.at - throttled.at;
    assert.ok(gap >= 999, `retried after ${gap.toFixed(0)} ms`);
    assert.ok(gap < 1500, `retried after ${gap.toFixed(0)} ms`);
  });
});
