import assert from "node:assert/strict";
import { PlanningOrder, subjectsOf } from "../../../src/app/notify/planning-order";

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A plan that records its start and finishes when released. */
function gate(log: string[], name: string) {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    release,
    plan: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
  };
}

describe("planning order of notification batches", () => {
  it("names what a batch is about: requests, assignments, reviews, catalogs; not people", () => {
    assert.deepEqual(
      subjectsOf([
        { type: "DeliveryStarted", requestId: "r1", assignmentId: "a1" },
        {
          type: "ApprovalsDelegated",
          approverId: "u1",
          delegateId: "u2",
          requestIds: ["r2"],
          reviewIds: ["v1"],
        },
      ] as never),
      ["request:r1", "assignment:a1", "request:r2", "review:v1"],
    );
    assert.deepEqual(
      subjectsOf([{ type: "GuestAccountChanged", userId: "g", sponsorIds: ["s"] }] as never),
      [],
    );
  });

  it("plans batches about one request in order and others beside them", async () => {
    const order = new PlanningOrder(8);
    const log: string[] = [];
    const first = gate(log, "r1#1");
    const second = gate(log, "r1#2");
    const other = gate(log, "r2");
    const runs = [
      order.run(["request:r1"], first.plan),
      order.run(["request:r1", "assignment:a1"], second.plan),
      order.run(["request:r2"], other.plan),
    ];
    await tick();
    assert.deepEqual(log, ["start r1#1", "start r2"], "r2 does not wait for r1; r1's second waits");
    other.release();
    await tick();
    assert.deepEqual(log.slice(2), ["end r2"]);
    first.release();
    await tick();
    assert.deepEqual(log.slice(3), ["end r1#1", "start r1#2"]);
    second.release();
    await Promise.all(runs);
    // A later batch about the assignment waits for the batch that named it with its request.
    const third = gate(log, "a1");
    third.release();
    await order.run(["assignment:a1"], third.plan);
    assert.deepEqual(log.slice(5), ["end r1#2", "start a1", "end a1"]);
  });

  it("plans a batch about nothing in particular after every batch before it, and before every batch after it", async () => {
    const order = new PlanningOrder(8);
    const log: string[] = [];
    const before = gate(log, "r1");
    const unkeyed = gate(log, "guest");
    const after = gate(log, "r2");
    const runs = [
      order.run(["request:r1"], before.plan),
      order.run([], unkeyed.plan),
      order.run(["request:r2"], after.plan),
    ];
    await tick();
    assert.deepEqual(log, ["start r1"]);
    before.release();
    await tick();
    assert.deepEqual(log, ["start r1", "end r1", "start guest"]);
    unkeyed.release();
    after.release();
    await Promise.all(runs);
    assert.deepEqual(log.slice(3), ["end guest", "start r2", "end r2"]);
  });

  it("plans at most its limit at once, and a failed plan does not hold up the next", async () => {
    const order = new PlanningOrder(2);
    const log: string[] = [];
    const gates = ["a", "b", "c"].map((n) => gate(log, n));
    const runs = gates.map((g, i) => order.run([`request:${i}`], g.plan));
    await tick();
    assert.deepEqual(log, ["start a", "start b"]);
    gates[0]!.release();
    await tick();
    assert.deepEqual(log.slice(2), ["end a", "start c"]);
    gates[1]!.release();
    gates[2]!.release();
    await Promise.all(runs);
    const failed = order.run(["request:x"], async () => Promise.reject(new Error("storage 503")));
    await assert.rejects(failed, /storage 503/);
    assert.equal(await order.run(["request:x"], async () => "planned"), "planned");
  });

  it("holds no slot while a batch waits to be ready, and keeps a request's batches in order", async () => {
    const order = new PlanningOrder(1);
    const log: string[] = [];
    let ready = () => {};
    const answered = new Promise<void>((resolve) => (ready = resolve));
    const waiting = gate(log, "r1#1");
    const later = gate(log, "r1#2");
    const other = gate(log, "r2");
    const runs = [
      order.run(["request:r1"], waiting.plan, () => answered),
      order.run(["request:r1"], later.plan),
      order.run(["request:r2"], other.plan),
    ];
    await tick();
    assert.deepEqual(log, ["start r2"], "the one slot went to r2 while r1's first batch waited");
    other.release();
    ready();
    await tick();
    assert.deepEqual(log.slice(1), ["end r2", "start r1#1"]);
    waiting.release();
    later.release();
    await Promise.all(runs);
    assert.deepEqual(log.slice(3), ["end r1#1", "start r1#2", "end r1#2"]);
  });
});
