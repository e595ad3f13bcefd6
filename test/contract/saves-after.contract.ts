import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { Versioned } from "../../src/ports/versioned";
import { aRequest, anAssignment } from "./fixtures";
import type { StoreContext } from "./harness";

interface Saving<T> {
  create(value: T): Promise<string>;
  get(id: string): Promise<Versioned<T> | undefined>;
  update(value: T, etag: string, after?: Promise<void>): Promise<string>;
}

/**
 * An update's compare-and-swap waits for what must be stored before it (the effects journal, passed
 * as `after`), and swaps nothing when that fails: the state never names a journal that is not there.
 */
export function savesAfterContract(ctx: StoreContext): void {
  describe("an update waits for what must be stored before it", () => {
    const cases: [
      string,
      () => Saving<{ id: string; revision: number }>,
      () => { id: string; revision: number },
    ][] = [
      ["requests", () => ctx.stores().requests as never, () => aRequest()],
      ["assignments", () => ctx.stores().assignments as never, () => anAssignment()],
    ];
    for (const [name, store, make] of cases) {
      it(`${name}: swaps only once \`after\` is stored`, async () => {
        const value = make();
        const etag = await store().create(value);
        let release = () => {};
        const after = new Promise<void>((resolve) => (release = resolve));
        const saving = store().update({ ...value, revision: 2 }, etag, after);
        await sleep(60);
        assert.deepEqual(await store().get(value.id), { value, etag }, "swapped before `after` was stored");
        release();
        const next = await saving;
        assert.deepEqual(await store().get(value.id), { value: { ...value, revision: 2 }, etag: next });
      });

      it(`${name}: swaps nothing when \`after\` fails`, async () => {
        const value = make();
        const etag = await store().create(value);
        const after = Promise.reject(new Error("the journal could not be written"));
        await assert.rejects(store().update({ ...value, revision: 2 }, etag, after), /journal could not/);
        assert.deepEqual(await store().get(value.id), { value, etag });
        // Nothing moved: an update at the same ETag still wins.
        await store().update({ ...value, revision: 3 }, etag);
        assert.equal((await store().get(value.id))?.value.revision, 3);
      });
    }
  });
}
