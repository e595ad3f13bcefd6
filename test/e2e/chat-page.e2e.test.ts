import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import type { FakeBot } from "../local-channel/fake-bot";
import { launchBrowser, screenshot, skipWithoutChromium } from "../support/browser";
import { requestCard, startScriptedBot } from "./scripted-bot";

const personas = [
  { id: "u-ada", displayName: "Ada Lovelace", role: "requester" },
  { id: "u-bob", displayName: "Bob Manager", role: "approver" },
];
const CHANNEL = "19:grants@thread.tacv2";

describe("local chat page in Chromium", function () {
  this.timeout(60000);
  let channel: LocalChannel;
  let bot: FakeBot;
  let browser: Browser;
  let page: Page;
  let base: string;
  let clock = Date.parse("2026-03-02T09:00:00Z");
  const groups: Record<string, { id: string; displayName: string }[]> = {
    "u-ada": [{ id: "g-sales", displayName: "Sales" }],
  };

  before(async function () {
    skipWithoutChromium(this);
    channel = createLocalChannel({
      botEndpoint: "",
      personas,
      hooks: {
        userGroups: async (id) => groups[id] ?? [],
        now: () => new Date(clock).toISOString(),
        advanceClock: async (hours) => new Date((clock += hours * 3600_000)).toISOString(),
      },
    });
    bot = await startScriptedBot(channel);
    channel.botEndpoint = bot.endpoint;
    base = await channel.listen();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await bot?.close();
    await channel?.close();
  });
  beforeEach(async () => {
    channel.reset();
    await channel.install("u-ada");
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("pageerror", (e) => console.error("page error:", e));
    await page.goto(`${base}/chat`);
    await page.locator("body[data-ready][data-live]").waitFor();
  });
  afterEach(async function () {
    if (!page || page.isClosed()) return;
    await screenshot(page, `chat-page ${this.currentTest?.title ?? "test"}`);
    await page.close();
  });

  const send = async (text: string) => {
    await page.getByTestId("composer").fill(text);
    await page.getByTestId("composer").press("Enter");
  };
  const lastCard = () => channel.activities(channel.conversationOf("u-ada")).at(-1)!;

  it("loads with each persona and the current persona's groups", async () => {
    await page.getByTestId("persona-u-ada").waitFor();
    await page.getByTestId("persona-u-bob").waitFor();
    assert.equal(await page.getByTestId("persona-u-ada").getAttribute("aria-current"), "true");
    await page.getByTestId("groups").getByText("Sales").waitFor();
  });

  it("sends an Action.Execute invoke with the typed input and shows the returned card", async () => {
    await send("card");
    const cardBox = page.getByTestId(`card-${(await channel.waitFor(() => lastCard())).id}`);
    await cardBox.getByLabel("Comment").fill("needed for Q3");
    await cardBox.getByRole("button", { name: "Approve" }).press("Enter");
    await cardBox.getByText("Approved by Ada Lovelace: needed for Q3").waitFor();
    const invoke = bot.received.at(-1)! as { value: { action: { data: unknown } } };
    assert.deepEqual(invoke.value.action.data, { requestId: "req_1", comment: "needed for Q3" });
  });

  it("keeps what someone is typing, and where, when the card is drawn again mid-sentence", async () => {
    await send("card");
    const sent = await channel.waitFor(() => lastCard());
    const cardBox = page.getByTestId(`card-${sent.id}`);
    const comment = cardBox.getByLabel("Comment");
    await comment.click();
    await page.keyboard.type("needed ");
    // The viewer's own view arrives (as a `refresh` answer does) while the cursor is in the box.
    const drawn = await comment.elementHandle();
    channel.store.setView(sent.id, "u-ada", requestCard);
    await page.waitForFunction((old) => !old?.isConnected, drawn);
    await page.keyboard.type("for Q3");
    assert.equal(await comment.inputValue(), "needed for Q3");
    await cardBox.getByRole("button", { name: "Approve" }).click();
    await cardBox.getByText("Approved by Ada Lovelace: needed for Q3").waitFor();
  });

  it("draws a card its own click answered as the bot sent it, even when the new version shows before the answer", async () => {
    await send("note");
    const sent = await channel.waitFor(() => lastCard());
    const cardBox = page.getByTestId(`card-${sent.id}`);
    await cardBox.getByRole("textbox", { name: "Note" }).fill("for this decision only");
    // The answer reaches the page late: the card's new version arrives over the event stream first.
    await page.route("**/api/invoke", async (route) => {
      const answer = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.fulfill({ response: answer });
    });
    try {
      await cardBox.getByRole("button", { name: "Save note" }).click();
      // The channel stores the answer as Ada's view of the card before the page hears the answer.
      await channel.waitFor(() => channel.store.get(sent.id)!.views["u-ada"]);
      await page.waitForFunction(() => document.querySelector("#status")?.textContent !== "Sending…");
      assert.equal(
        await cardBox.getByRole("textbox", { name: "Note" }).inputValue(),
        "",
        "the note box is empty again",
      );
    } finally {
      await page.unroute("**/api/invoke");
    }
  });

  it("draws a card its own click answered as the bot sent it when a later reload overtakes the click's own", async () => {
    await send("note");
    const sent = await channel.waitFor(() => lastCard());
    const cardBox = page.getByTestId(`card-${sent.id}`);
    const note = cardBox.getByRole("textbox", { name: "Note" });
    await note.fill("for this decision only");
    // Slow reloads: the click's own reload is overtaken by the one the event stream starts 30 ms later.
    await page.route("**/api/transcript*", async (route) => {
      const answer = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await route.fulfill({ response: answer });
    });
    try {
      await cardBox.getByRole("button", { name: "Save note" }).click();
      await channel.waitFor(() => channel.store.get(sent.id)!.views["u-ada"]);
      await page.waitForFunction(() => !document.querySelector("[aria-busy]"));
      await new Promise((resolve) => setTimeout(resolve, 400)); // every reload has drawn
      assert.equal(await note.inputValue(), "", "the note box is empty again");
    } finally {
      await page.unroute("**/api/transcript*");
    }
  });

  it("shows a proactive message live with an unread count, and switching persona shows their chat", async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await send("notify u-bob");
    await page.getByTestId("unread-u-bob").getByText("1").waitFor();
    await page.getByTestId("persona-u-bob").click();
    await page.getByTestId("messages").getByText("A note for you from Ada Lovelace").waitFor();
    await page.getByTestId("unread-u-bob").waitFor({ state: "detached" });
    await channel.say("u-ada", "notify u-bob"); // from outside the page: must arrive over SSE
    await page.getByTestId("messages").getByText("A note for you from Ada Lovelace").nth(1).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1);
  });

  it("lists channel posts in the channel view", async () => {
    await channel.installTeam("19:team@thread.tacv2", [{ id: CHANNEL, name: "Access grants" }], {
      name: "IT",
    });
    await send(`post ${CHANNEL}`);
    await page.getByTestId(`channel-${CHANNEL}`).click();
    await page.getByTestId("channel").getByText("Access granted: Salesforce").waitFor();
    assert.equal(await page.getByTestId("composer").isVisible(), false);
  });

  it("renders markdown but shows HTML from messages as text", async () => {
    await send("markdown");
    const messages = page.getByTestId("messages");
    await messages.locator("strong", { hasText: "Bold" }).waitFor();
    await messages.getByText("<script>window.__pwned = 1</script>", { exact: false }).waitFor();
    assert.equal(await messages.locator("script, img").count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it("asks the bot for the viewer's own view of a card with refresh", async () => {
    await send("refresh");
    await page.getByTestId("messages").getByText("Only for Ada Lovelace").waitFor();
    const refresh = bot.received.at(-1)! as { value: { trigger: string } };
    assert.equal(refresh.value.trigger, "automatic");
  });

  it("moves the clock forward through the hook and shows the new time", async () => {
    await page.getByTestId("clock-advance").click();
    await page.getByTestId("clock-now").getByText("Tue, 03 Mar 2026 09:00:00 GMT").waitFor();
  });

  it("lets the viewed person remove the app and add it back from the banner", async () => {
    const removeApp = page.getByRole("button", { name: "Remove Access Desk" });
    const removed = page.getByTestId("removed-banner");
    await removeApp.click();
    await removed.waitFor();
    await removeApp.waitFor({ state: "hidden" });
    // Ada's chat is empty and she has no app now: only the removal banner, not the "not added yet" one.
    assert.equal(await page.getByTestId("install").isVisible(), false);
    assert.equal(channel.store.hasRemoved("u-ada"), true);

    await removed.getByRole("button", { name: "Add Access Desk" }).click();
    await removed.waitFor({ state: "hidden" });
    await removeApp.waitFor();
    assert.equal(channel.store.hasRemoved("u-ada"), false);
    assert.equal(channel.store.isInstalled("u-ada"), true);
  });

  it("fits a phone screen with personas, messages and the composer reachable", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await send("card");
    await page.getByTestId(`card-${(await channel.waitFor(() => lastCard())).id}`).waitFor();
    for (const id of ["persona-u-bob", "composer", "send"])
      assert.ok(await page.getByTestId(id).isVisible(), id);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width}px wide`);
  });
});
