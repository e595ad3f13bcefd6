import assert from "node:assert/strict";
import { RecentConflicts } from "../../../src/app/queries/approval-card";
import type { AccessRequest } from "../../../src/domain/model";
import type { SodConflict } from "../../../src/domain/sod/separation-of-duties";

const request = (revision: number) => ({ id: "req_1", revision }) as AccessRequest;
const conflict = (name: string) => ({ packageId: name }) as unknown as SodConflict;

describe("conflicts shown on approval cards, shared per request revision for a few seconds", () => {
  let now = 0;
  let loads = 0;
  let recent: RecentConflicts;
  const load = (name: string) => async () => {
    loads += 1;
    return [conflict(name)];
  };

  beforeEach(() => {
    now = 1_000_000;
    loads = 0;
    recent = new RecentConflicts(() => now);
  });

  it("loads once for the clicker's card and the notices of the same revision", async () => {
    const [a, b] = await Promise.all([recent.get(request(3), load("a")), recent.get(request(3), load("b"))]);
    assert.equal(loads, 1);
    assert.deepEqual(b, a);
  });

  it("loads anew for a new revision of the request", async () => {
    await recent.get(request(3), load("a"));
    const next = await recent.get(request(4), load("b"));
    assert.equal(loads, 2);
    assert.deepEqual(next, [conflict("b")]);
  });

  it("loads anew once the few seconds are over", async () => {
    await recent.get(request(3), load("a"));
    now += 5_000;
    assert.deepEqual(await recent.get(request(3), load("b")), [conflict("b")]);
    assert.equal(loads, 2);
  });

  it("does not keep a failed load: the next render reads again", async () => {
    await assert.rejects(recent.get(request(3), () => Promise.reject(new Error("storage down"))));
    assert.deepEqual(await recent.get(request(3), load("a")), [conflict("a")]);
  });

  it("serves what a submit found for its own revision without loading", async () => {
    recent.seed(request(1), []);
    assert.deepEqual(await recent.get(request(1), load("a")), []);
    assert.equal(loads, 0);
  });
});
