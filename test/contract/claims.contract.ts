import assert from "node:assert/strict";
import type { Claim } from "../../src/ports/claims";
import { at, uid } from "./fixtures";
import type { StoreContext } from "./harness";
import { takeClaim } from "../../src/app/shared/claims";
import type { TableStores } from "../../src/adapters/tables";
import type { AppDeps } from "../../src/app/deps";
import { buildWorld } from "../support/world";

function aClaim(overrides: Partial<Claim> = {}): Claim {
  return {
    userId: uid("user"),
    packageId: "pkg-sales",
    kind: "access",
    holder: { type: "request", id: uid("req") },
    at: at(0),
    ...overrides,
  };
}

const keyOf = (c: Claim) => ({ userId: c.userId, packageId: c.packageId, kind: c.kind });

export function claimContract(ctx: StoreContext): void {
  describe("claims", () => {
    it("reads back a created claim with the ETag the create returned", async () => {
      const { claims } = ctx.stores();
      const claim = aClaim({ userId: "user/with#odd?chars", packageId: "pkg|a/b" });
      assert.equal(await claims.get(keyOf(claim)), undefined);
      const etag = await claims.create(claim);
      assert.ok(etag);
      assert.deepEqual(await claims.get(keyOf(claim)), { value: claim, etag });
    });

    it("refuses a second create of a claimed key and keeps the first holder", async () => {
      const { claims } = ctx.stores();
      const first = aClaim();
      await claims.create(first);
      const second = { ...first, holder: { type: "request" as const, id: uid("req") } };
      assert.equal(await claims.create(second), undefined);
      assert.deepEqual((await claims.get(keyOf(first)))?.value.holder, first.holder);
    });

    it("gives a key contested by ten creates at once to exactly one", async () => {
      const { claims } = ctx.stores();
      const base = aClaim();
      const contenders = Array.from({ length: 10 }, () => ({
        ...base,
        holder: { type: "request" as const, id: uid("req") },
      }));
      const etags = await Promise.all(contenders.map((c) => claims.create(c)));
      assert.equal(etags.filter(Boolean).length, 1);
      const winner = contenders[etags.findIndex(Boolean)]!;
      assert.deepEqual((await claims.get(keyOf(base)))?.value.holder, winner.holder);
    });

    it("keeps each person, package and kind apart", async () => {
      const { claims } = ctx.stores();
      const access = aClaim();
      const others: Claim[] = [
        { ...access, kind: "extension" },
        { ...access, packageId: `${access.packageId}2` },
        { ...access, userId: `${access.userId}2` },
      ];
      for (const c of [access, ...others]) assert.ok(await claims.create(c), JSON.stringify(keyOf(c)));
    });

    it("replaces a claim only at the ETag it was read with: of two takers one wins", async () => {
      const { claims } = ctx.stores();
      const stale = aClaim();
      await claims.create(stale);
      const read = (await claims.get(keyOf(stale)))!;
      const takers = [1, 2].map(() => ({
        ...stale,
        holder: { type: "request" as const, id: uid("req") },
        at: at(5),
      }));
      const results = await Promise.all(takers.map((t) => claims.replace(t, read.etag)));
      assert.equal(results.filter(Boolean).length, 1);
      const now = (await claims.get(keyOf(stale)))!;
      assert.deepEqual(now, { value: takers[results.findIndex(Boolean)], etag: results.find(Boolean) });
      assert.equal(await claims.replace(stale, read.etag), undefined, "the old ETag no longer matches");
    });

    it("does not replace a claim that was released", async () => {
      const { claims } = ctx.stores();
      const claim = aClaim();
      const etag = (await claims.create(claim))!;
      await claims.release(claim.userId, claim.packageId, claim.holder.id);
      assert.equal(await claims.replace({ ...claim, at: at(1) }, etag), undefined);
      assert.equal(await claims.get(keyOf(claim)), undefined);
    });

    it("hands a claim from a request to its assignment", async () => {
      const { claims } = ctx.stores();
      const claim = aClaim();
      const etag = (await claims.create(claim))!;
      const handed: Claim = { ...claim, holder: { type: "assignment", id: `asg_${claim.holder.id}` } };
      const next = await claims.replace(handed, etag);
      assert.ok(next);
      assert.deepEqual(await claims.get(keyOf(claim)), { value: handed, etag: next });
    });

    it("releases only what the holder holds, of either kind, and only for that package", async () => {
      const { claims } = ctx.stores();
      const holder = { type: "request" as const, id: uid("req") };
      const mine = aClaim({ holder, packageId: "pkg" });
      const myExtension = { ...mine, kind: "extension" as const };
      const someoneElses = aClaim({ userId: mine.userId, packageId: "pkg|x" });
      const otherPackage = { ...mine, packageId: "pkg2" };
      for (const c of [mine, myExtension, someoneElses, otherPackage]) await claims.create(c);

      await claims.release(mine.userId, "pkg", uid("req"));
      assert.ok(await claims.get(keyOf(mine)), "another holder's release leaves the row");

      await claims.release(mine.userId, "pkg", holder.id);
      assert.equal(await claims.get(keyOf(mine)), undefined);
      assert.equal(await claims.get(keyOf(myExtension)), undefined);
      assert.ok(await claims.get(keyOf(someoneElses)));
      assert.ok(await claims.get(keyOf(otherPackage)));
      await claims.release(mine.userId, "pkg", holder.id); // nothing left: nothing done
    });
  });
}

/** Table stores only: what a process remembers of the claim rows it wrote. */
export function rememberedClaimContract(ctx: StoreContext): void {
  describe("claims: the versions this process wrote", () => {
    it("remembers a created or replaced claim at its ETag, and forgets a released one", async () => {
      const claims = ctx.tables()!.claims;
      const claim = aClaim();
      const created = await claims.create(claim);
      assert.deepEqual(claims.remembered?.(keyOf(claim)), { value: claim, etag: created });
      const handed = { ...claim, holder: { type: "assignment" as const, id: uid("asg") } };
      const replaced = await claims.replace(handed, created!);
      assert.deepEqual(claims.remembered?.(keyOf(claim)), { value: handed, etag: replaced });
      await claims.release(claim.userId, claim.packageId, handed.holder.id);
      assert.equal(claims.remembered?.(keyOf(claim)), undefined);
    });

    it("hands a claim over without reading it, and reads when another instance changed it", async () => {
      const tables = ctx.tables()!;
      const claim = aClaim();
      await tables.claims.create(claim);
      const toAssignment = { type: "assignment" as const, id: uid("asg") };
      tables.counter.reset();
      assert.deepEqual(await takeClaim(depsOver(tables), keyOf(claim), toAssignment, claim.holder), {
        won: true,
      });
      assert.equal(tables.counter.operations, 1, "the replace alone");

      // Another instance (a delivery resumed there) hands the next claim over first: the version
      // this process wrote is stale, so the replace is refused and the row read.
      const next = aClaim();
      await tables.claims.create(next);
      const other = ctx.otherInstance();
      const current = await other.claims.get(keyOf(next));
      const elsewhere = { ...next, holder: toAssignment, at: at(1) };
      assert.ok(await other.claims.replace(elsewhere, current!.etag));
      tables.counter.reset();
      assert.deepEqual(await takeClaim(depsOver(tables), keyOf(next), toAssignment, next.holder), {
        won: true,
      });
      assert.equal(tables.counter.operations, 2, "the refused replace, then the read");
      assert.deepEqual((await tables.claims.get(keyOf(next)))?.value, elsewhere, "its row kept as it was");
    });
  });
}

/** The use cases' dependencies over these stores (a hand-over needs the claims and a clock). */
const depsOver = (tables: TableStores): AppDeps => buildWorld({ stores: tables }).deps;
