import assert from "node:assert/strict";
import type { GovernanceConfig } from "../../src/domain/model";
import { governanceVersionContract } from "./governance-versions.contract";
import type { StoreContext } from "./harness";

const ref = (id: string) => ({
  conversation: { id },
  serviceUrl: "http://127.0.0.1:3978/",
  bot: { id: "bot" },
});

export function conversationContract(ctx: StoreContext): void {
  describe("conversations", () => {
    it("keeps the latest conversation reference per user", async () => {
      const { conversations } = ctx.stores();
      assert.equal(await conversations.getUserReference("user-bob"), undefined);
      await conversations.saveUserReference("user-bob", ref("a:1"));
      await conversations.saveUserReference("user-bob", ref("a:2"));
      assert.deepEqual(await conversations.getUserReference("user-bob"), ref("a:2"));
    });

    it("keeps a team's reference with its channels", async () => {
      const { conversations } = ctx.stores();
      const channels = [{ teamId: "19:team/1", channelId: "19:ch#1?x", name: "Access" }];
      await conversations.saveTeam("19:team/1", ref("19:team/1"), channels);
      assert.deepEqual(await conversations.getTeam("19:team/1"), { reference: ref("19:team/1"), channels });
      assert.equal(await conversations.getTeam("19:other"), undefined);
    });

    it("remembers each sent card once per activity, under its subject", async () => {
      const { conversations } = ctx.stores();
      const card = { subject: "request:r/1", userId: "user-a", conversationId: "a:1/x#y", activityId: "1?2" };
      const other = { ...card, userId: "user-b", conversationId: "a:2", activityId: "9" };
      await conversations.rememberCard(card);
      await conversations.rememberCard(card);
      await conversations.rememberCard(other);
      await conversations.rememberCard({ ...card, subject: "request:r/2" });
      assert.deepEqual(await conversations.listCards("request:r/1"), [card, other]);
      assert.deepEqual(await conversations.listCards("request:none"), []);
    });
  });
}

function config(names: string[]): GovernanceConfig {
  return {
    catalogs: names.map((name) => ({
      id: `cat/${name}`,
      name,
      description: "",
      owners: ["user-a"],
      enabled: true,
      externallyVisible: false,
    })),
    packages: [],
    policies: [],
    connectedOrganizations: [
      {
        id: "org-1",
        name: "Contoso",
        description: "",
        state: "configured",
        domains: ["contoso.com"],
        internalSponsors: [],
        externalSponsors: [],
      },
    ],
  };
}

export function governanceContract(ctx: StoreContext): void {
  describe("governance", () => {
    it("starts empty", async () => {
      const empty = { catalogs: [], packages: [], policies: [], connectedOrganizations: [] };
      assert.deepEqual(await ctx.stores().governance.load(), empty);
    });

    it("loads what was saved, in the declared order, dropping what a later save leaves out", async () => {
      const { governance } = ctx.stores();
      await governance.save(config(["zeta", "alpha", "mid"]));
      assert.deepEqual(await governance.load(), config(["zeta", "alpha", "mid"]));
      await governance.save(config(["mid", "zeta"]));
      assert.deepEqual(await governance.load(), config(["mid", "zeta"]));
    });
  });
  governanceVersionContract(ctx);
}
