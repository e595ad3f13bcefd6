import assert from "node:assert/strict";
import { type Activity, TestAdapter } from "botbuilder";
import { createApplication } from "../../src/bot";
import { createHarness } from "./support/harness";

/**
 * The bot writes a person's conversation reference when it is new or changed, not on every
 * message and click: each write is a storage request before the answer.
 */
describe("conversation reference saving", () => {
  async function start() {
    const h = await createHarness();
    const saved: string[] = [];
    const store = h.stores.conversations;
    const save = store.saveUserReference.bind(store);
    store.saveUserReference = async (userId, reference) => {
      saved.push(String((reference.conversation as { id?: string } | undefined)?.id));
      return save(userId, reference);
    };
    const app = createApplication(h.bot.deps);
    const adapter = new TestAdapter(async (context) => {
      await app.run(context);
    });
    const from = { id: "29:ana", aadObjectId: "ana", name: "Ana Costa" };
    const say = (text: string, conversationId = "a:ana") =>
      adapter.send({
        type: "message",
        text,
        from,
        conversation: { id: conversationId, conversationType: "personal" } as never,
      } as Partial<Activity>);
    const click = () =>
      adapter.send({
        type: "invoke",
        name: "adaptiveCard/action",
        from,
        conversation: { id: "a:ana", conversationType: "personal" } as never,
        value: { action: { type: "Action.Execute", verb: "menu", data: { item: "help" } } },
      } as Partial<Activity>);
    return { h, saved, say, click };
  }

  it("saves it on the first message, not again for later messages and clicks", async () => {
    const { h, saved, say, click } = await start();
    await say("help");
    await say("my requests");
    await click();
    await say("help");
    assert.deepEqual(saved, ["a:ana"]);
    const stored = await h.stores.conversations.getUserReference("ana");
    assert.equal((stored?.conversation as { id: string }).id, "a:ana");
  });

  it("saves it again when the conversation changed", async () => {
    const { h, saved, say } = await start();
    await say("help");
    await say("help", "a:ana-reinstalled");
    await say("help", "a:ana-reinstalled");
    assert.deepEqual(saved, ["a:ana", "a:ana-reinstalled"]);
    const stored = await h.stores.conversations.getUserReference("ana");
    assert.equal((stored?.conversation as { id: string }).id, "a:ana-reinstalled");
  });
});
