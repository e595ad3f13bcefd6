import assert from "node:assert/strict";
import { type Activity, TestAdapter } from "botbuilder";
import { createApplication } from "../../src/bot";
import { createHarness } from "./support/harness";
import { textOf } from "./support/cards";

/**
 * One chat answer reads the governance configuration and the person asking once each: the read
 * side loads a viewer once and hands it through, instead of every step loading its own.
 */
describe("reads per answer", () => {
  async function countedAnswer(text: string) {
    const h = await createHarness();
    const counts = { configuration: 0, asker: 0 };
    const { governance, directory } = h.bot.deps;
    const load = governance.load.bind(governance);
    const getUser = directory.getUser.bind(directory);
    const deps = {
      ...h.bot.deps,
      governance: Object.assign(Object.create(governance) as typeof governance, {
        load: () => {
          counts.configuration += 1;
          return load();
        },
      }),
      directory: Object.assign(Object.create(directory) as typeof directory, {
        getUser: (id: string) => {
          if (id === "ana") counts.asker += 1;
          return getUser(id);
        },
      }),
    };
    const app = createApplication(deps);
    const adapter = new TestAdapter(async (context) => {
      await app.run(context);
    });
    await adapter.send({
      type: "message",
      text,
      from: { id: "29:ana", aadObjectId: "ana", name: "Ana Costa" },
      conversation: { id: "a:ana", conversationType: "personal" } as never,
    } as Partial<Activity>);
    const card = adapter.activeQueue.map((a) => a.attachments?.[0]?.content).find(Boolean);
    return { counts, text: textOf(card) };
  }

  it("'I need access to Business Analyst' reads the configuration and the asker once", async () => {
    const { counts, text } = await countedAnswer("I need access to Business Analyst");
    assert.match(text, /Business Analyst/);
    assert.deepEqual(counts, { configuration: 1, asker: 1 });
  });

  it("a bare package name reads them once too", async () => {
    const { counts, text } = await countedAnswer("salesforce sales");
    assert.match(text, /Salesforce Sales/);
    assert.deepEqual(counts, { configuration: 1, asker: 1 });
  });
});
