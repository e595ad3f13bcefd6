import assert from "node:assert/strict";
import { completeAccessReview, decideRemainingItems } from "../../src/app/lifecycle";
import { startAccessReview } from "../../src/app/lifecycle/start-access-review";
import { FixedClock } from "../../src/adapters/runtime/clock";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { GraphDirectory } from "../../src/adapters/graph/graph-directory";
import { GraphProvisioner } from "../../src/adapters/graph/graph-provisioner";
import type { Assignment, ResourceRole, ReviewSettings } from "../../src/domain/model";
import { addDays } from "../../src/domain/time";
import { loadConfig } from "../../src/config";
import { reviewView } from "../../src/views/review";
import { loadViewContext } from "../../src/app/queries/view-context";
import { config, pkg, policy } from "../lifecycle/support/governance";
import { memoryStores } from "../support/stores";
import { buildWorld } from "../support/world";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";

const START = "2026-11-10T08:00:00.000Z";
const END = "2026-11-24T08:00:00.000Z";
const REVIEW_ID = "rvw_pol-crm_20261110080000";
const crmUsers: ResourceRole = { kind: "groupMember", groupId: "crm-users", displayName: "CRM users" };

/**
 * A tenant where ana signed in two days ago, bob 60 days ago, cid never (signInActivity null), and
 * dan's account is disabled; mgr is everyone's manager. Each holds CRM users through an assignment.
 */
async function reviewWorld(opts: {
  signIn: boolean;
  refused?: boolean;
  ifNoResponse?: ReviewSettings["ifNoResponse"];
}) {
  const graph = await startGraph();
  const t = graph.server.tenant;
  t.signInActivityRefused = opts.refused ?? false;
  const recent = addDays(START, -2);
  t.addUser({ id: "mgr", displayName: "Mgr", lastSignInDateTime: recent });
  t.addUser({ id: "ana", displayName: "Ana", lastSignInDateTime: recent });
  t.addUser({ id: "bob", displayName: "Bob", lastSignInDateTime: addDays(START, -60) });
  t.addUser({ id: "cid", displayName: "Cid" });
  t.addUser({ id: "dan", displayName: "Dan", accountEnabled: false, lastSignInDateTime: recent });
  for (const id of ["ana", "bob", "cid", "dan"]) t.setManager(id, "mgr");
  t.addGroup("crm-users", "CRM users", ["ana", "bob", "cid", "dan"]);
  const transport = graph.transport({ runtime: instantSleep().runtime, logger: silentLogger });
  const clock = new FixedClock(START);
  const world = buildWorld({
    stores: memoryStores(),
    directory: new GraphDirectory(transport, { clock, includeSignInActivity: opts.signIn }),
    provisioner: new GraphProvisioner(transport, silentLogger),
    clock,
  });
  const review: ReviewSettings = {
    recurrence: "monthly",
    startDate: START,
    durationDays: 14,
    reviewers: [{ kind: "manager", level: 1 }],
    fallbackReviewers: [],
    justificationRequired: false,
    ifNoResponse: opts.ifNoResponse ?? "recommendation",
  };
  await world.stores.governance.save(
    config(
      [pkg("pkg-crm", [crmUsers])],
      [
        policy("pol-crm", "pkg-crm", {
          lifecycle: {
            expiry: { kind: "never" },
            extension: { allowed: false, requiresApproval: false },
            selfRemoval: true,
            review,
          },
        }),
      ],
    ),
  );
  for (const userId of ["ana", "bob", "cid", "dan"]) {
    const a: Assignment = {
      id: `asg-${userId}`,
      userId,
      packageId: "pkg-crm",
      policyId: "pol-crm",
      requestId: `req-${userId}`,
      state: "delivered",
      startAt: addDays(START, -90),
      resources: [{ role: crmUsers, status: "granted", attempts: 1, heldBefore: false }],
      remindersSent: [],
      createdAt: addDays(START, -90),
      updatedAt: addDays(START, -90),
      revision: 1,
    };
    await world.stores.assignments.create(a);
  }
  const start = () =>
    startAccessReview(
      world.deps,
      { dueAt: START, kind: "reviewStart", subjectId: "pol-crm", discriminator: START },
      { inactiveDays: 30 },
    );
  return { graph, world, start, clock };
}

const recommendations = (items: { userId: string; recommendation: string }[]) =>
  Object.fromEntries(items.map((i) => [i.userId, i.recommendation]));

describe("access reviews in Graph mode never recommend removal on missing sign-in data", () => {
  let graph: GraphHarness | undefined;
  afterEach(() => graph?.stop());

  it("with GRAPH_SIGN_IN_ACTIVITY on, recommends on sign-in and says 'no data' for a user Graph has none for", async () => {
    const w = await reviewWorld({ signIn: true });
    graph = w.graph;
    const review = (await w.start())!;
    assert.deepEqual(recommendations(review.items), {
      ana: "approve",
      bob: "deny",
      cid: "none",
      dan: "deny",
    });
    assert.match(
      review.items.find((i) => i.userId === "cid")!.recommendationReason,
      /No sign-in data for this user/,
    );
    assert.ok(w.graph.server.log.some((c) => c.url.includes("signInActivity")));
  });

  it("with the setting off, asks Graph for no sign-in data and recommends nobody's removal for it", async () => {
    const w = await reviewWorld({ signIn: false });
    graph = w.graph;
    const review = (await w.start())!;
    assert.deepEqual(recommendations(review.items), { ana: "none", bob: "none", cid: "none", dan: "deny" });
    assert.match(review.items[0]!.recommendationReason, /does not read sign-in activity/);
    assert.ok(!w.graph.server.log.some((c) => c.url.includes("signInActivity")));
  });

  it("when Graph answers 403 for signInActivity, reads users without it, says so, and keeps everyone at the end", async () => {
    const w = await reviewWorld({ signIn: true, refused: true });
    graph = w.graph;
    const review = (await w.start())!;
    assert.deepEqual(recommendations(review.items), { ana: "none", bob: "none", cid: "none", dan: "deny" });
    assert.match(review.items[0]!.recommendationReason, /refused sign-in activity/);
    const refusals = w.graph.server.log.filter((c) => c.status === 403);
    assert.equal(refusals.length, 1, "after one 403 the directory stops asking for an hour");

    // The card says there is no recommendation, and why.
    const ctx = await loadViewContext(w.world.deps, ["ana", "bob"]);
    const card = JSON.stringify(reviewView(ctx, review, "mgr").data);
    assert.match(card, /No recommendation \(No sign-in data: Microsoft Graph refused sign-in activity/);
    assert.doesNotMatch(card, /Recommended: deny \(No sign-in/);

    // Accept recommendations decides only what has a recommendation: dan; the rest stay open.
    const accepted = await decideRemainingItems(w.world.deps, {
      actorId: "mgr",
      reviewId: REVIEW_ID,
      outcome: "recommendation",
      source: "card:review",
    });
    assert.ok(accepted.ok);
    const decided = accepted.value.items
      .filter((i) => i.decision)
      .map((i) => [i.userId, i.decision!.outcome]);
    assert.deepEqual(decided, [["dan", "deny"]]);

    // ifNoResponse: recommendation at the end removes dan only; "no data" keeps access.
    w.clock.set(END);
    await completeAccessReview(w.world.deps, REVIEW_ID);
    const done = (await w.world.stores.reviews.get(REVIEW_ID))!.value;
    assert.deepEqual(Object.fromEntries(done.items.map((i) => [i.userId, i.applied])), {
      ana: "kept",
      bob: "kept",
      cid: "kept",
      dan: "removed",
    });
    assert.deepEqual([...w.graph.server.tenant.groups.get("crm-users")!.members].sort(), [
      "ana",
      "bob",
      "cid",
    ]);
  });

  it("reads GRAPH_SIGN_IN_ACTIVITY as on or off (default off) and refuses anything else", () => {
    const base = {
      DIRECTORY: "graph",
      GRAPH_TENANT_ID: "t",
      GRAPH_CLIENT_ID: "c",
      GRAPH_CLIENT_SECRET: "s",
    };
    const graphOf = (env: Record<string, string>) => {
      const cfg = loadConfig(env);
      return cfg.directory.kind === "graph" ? cfg.directory.graph.signInActivity : undefined;
    };
    assert.equal(graphOf(base), false);
    assert.equal(graphOf({ ...base, GRAPH_SIGN_IN_ACTIVITY: "on" }), true);
    assert.throws(
      () => graphOf({ ...base, GRAPH_SIGN_IN_ACTIVITY: "yes" }),
      /GRAPH_SIGN_IN_ACTIVITY="yes" is not valid/,
    );
  });
});
