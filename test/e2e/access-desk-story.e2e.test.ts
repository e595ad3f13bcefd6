/**
 * The Access Desk story in headless Chromium through the real app: Azurite in memory, the demo
 * organisation and governance files, the real bot, the local chat page. Every step is a click or
 * a keystroke a person makes; the stores are read only to check that nothing else changed.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import { screenshot } from "../support/browser";
import { deskInBrowser, type DeskUnderTest } from "./support/running-desk";
import {
  card,
  channelPost,
  chatAs,
  decide,
  openChat,
  requestPackage,
  say,
  waitForMessages,
} from "./support/story";

const FRED = { id: DEMO.fred, name: "Fred Fischer" };
const MEGAN = { id: DEMO.managerOfFred, name: "Megan Bowen" };
const LIDIA = { id: DEMO.securityApprover, name: "Lidia Holloway" };
const CHRISTIE = { id: DEMO.christie, name: "Christie Cline" };

describe("Access Desk in Chromium: the whole story through the real app", function () {
  this.timeout(60_000);
  let desk: DeskUnderTest;
  let browser: Browser;
  let page: Page;

  deskInBrowser(
    "story",
    (d, b) => ([desk, browser] = [d, b]),
    () => page,
  );

  const step = (name: string) => screenshot(page, `story ${name}`);
  const requestOf = async (userId: string, packageId: string) => {
    const all = await desk.app.deps.requests.listForUser(userId);
    const found = all.filter((r) => r.packageId === packageId).sort((a, b) => b.revision - a.revision)[0];
    assert.ok(found, `${userId} has a request for ${packageId}`);
    return (await desk.app.deps.requests.get(found.id))!.value;
  };
  const noErrorShown = async () => {
    assert.notEqual(await page.getByTestId("status").getAttribute("data-kind"), "error");
  };

  it("delivers Business Analyst to Fred after his manager and the security team approve", async () => {
    page = await openChat(browser, desk.chatUrl);
    assert.match(await page.locator("#subtitle").innerText(), /Chat as Fred Fischer/);

    // Fred asks in his own words, opens the form from the package card and submits it.
    const status = await requestPackage(page, "Business Analyst", "Month-end reporting for the Finance team");
    await status.getByText("Waiting for Megan Bowen").waitFor();
    await status.getByText("Stage 1 of 2").waitFor();
    await status.getByRole("button", { name: "Cancel request" }).waitFor();
    await noErrorShown();
    await step("01 Fred submitted, pending at stage 1");

    // Megan has an unread approval card.
    await page.getByTestId(`unread-${MEGAN.id}`).waitFor();
    await chatAs(page, MEGAN.id, MEGAN.name);
    await page.getByTestId(`unread-${MEGAN.id}`).waitFor({ state: "detached" });
    const megansCard = card(page, "Approval needed: Business Analyst");
    await megansCard.getByText("Month-end reporting for the Finance team").waitFor();
    await megansCard.getByText("Stage 1 of 2").waitFor();
    assert.equal(await page.locator("#install-banner").isVisible(), false, "no 'not added' banner");
    await megansCard.getByText("Analytics (team)", { exact: true }).waitFor();
    assert.doesNotMatch(await megansCard.innerText(), /\\/, "markdown escapes are not shown");
    await step("02 Megan sees the approval card");

    await decide(page, "Business Analyst", "Approve", "Fred joins month-end reporting");
    // Her copy now shows her decision, the next stage, and no buttons for her.
    await megansCard.getByText(/Approved by Megan Bowen .*Fred joins month-end reporting/).waitFor();
    await megansCard.getByText("Only the approvers of this stage can decide.").waitFor();
    assert.equal(await megansCard.getByRole("button", { name: "Approve" }).count(), 0);
    await noErrorShown();
    await step("03 Megan approved stage 1");

    // Lidia decides stage 2; this stage needs a reason, and the card says so before sending.
    await chatAs(page, LIDIA.id, LIDIA.name);
    const lidiasCard = card(page, "Approval needed: Business Analyst");
    await lidiasCard.getByText("Stage 2 of 2").waitFor();
    await lidiasCard.getByRole("button", { name: "Approve" }).click();
    await lidiasCard.getByText("Give a reason for your decision.").waitFor();
    const pending = await requestOf(FRED.id, DEMO.packages.businessAnalyst);
    assert.equal(pending.currentStage, 1, "still at stage 2");
    // Sent without the page's check, the bot answers with a message and her card keeps its buttons.
    const lidiasCardId = (await lidiasCard.getAttribute("data-testid"))!.replace(/^card-/, "");
    const noReason = { requestId: pending.id, stage: 2, revision: pending.revision, decisionReason: "" };
    const answer = await forgeClick(page, LIDIA.id, lidiasCardId, noReason);
    assert.match(JSON.stringify(answer), /activity\.message.*Give a reason for your decision/);
    await lidiasCard.getByRole("button", { name: "Approve" }).waitFor();
    await step("04 Lidia must give a reason");
    await decide(page, "Business Analyst", "Approve", "Checked against the finance role");
    await page
      .getByTestId("messages")
      .getByText(/Approved by Lidia Holloway .*Checked against the finance role/)
      .first()
      .waitFor();
    await noErrorShown();
    await step("05 Lidia approved stage 2");

    // Fred: the delivered card, his status card followed the request, new groups.
    await chatAs(page, FRED.id, FRED.name);
    const delivered = card(page, "You now have Business Analyst");
    await delivered.getByText("Finance Reports").waitFor();
    await card(page, "Request delivered: Business Analyst").waitFor();
    const groups = page.getByTestId("groups");
    await groups.getByTestId(`group-${DEMO.groups.financeReports}`).getByText("Finance Reports").waitFor();
    await groups.getByTestId(`group-${DEMO.groups.analytics}`).waitFor();
    await step("06 Fred has access and new groups");

    await say(page, "my access");
    await card(page, "Your access").getByText("Business Analyst").waitFor();

    // The team channel announces it.
    await page.getByTestId(`channel-${DEMO.channel.channelId}`).click();
    await channelPost(page, "Fred Fischer got Business Analyst").waitFor();
    assert.equal(await page.getByTestId("composer").isVisible(), false);
    await step("07 the channel announces it");

    const request = await requestOf(FRED.id, DEMO.packages.businessAnalyst);
    assert.equal(request.state, "delivered");
    assert.deepEqual(
      request.stages.map((s) => s.decision?.by),
      [MEGAN.id, LIDIA.id],
    );
  });

  it("ends the request when the manager denies at stage 1, and Fred reads why", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`);
    await requestPackage(page, "Accounting", "I book the VAT returns");
    await chatAs(page, MEGAN.id, MEGAN.name);
    const approval = await decide(
      page,
      "Accounting",
      "Deny",
      "Accounting comes with the SAP training in March",
    );
    await approval
      .getByText(/Denied by Megan Bowen/)
      .first()
      .waitFor();
    assert.equal(await approval.getByRole("button", { name: "Deny" }).count(), 0);
    await step("denial 01 Megan denied");

    await chatAs(page, FRED.id, FRED.name);
    const denied = card(page, "Request denied");
    await denied.getByText("Accounting comes with the SAP training in March").waitFor();
    await denied.getByText(/Megan Bowen/).waitFor();
    await step("denial 02 Fred reads why");

    const request = await requestOf(FRED.id, DEMO.packages.accounting);
    assert.equal(request.state, "denied");
    assert.equal(request.stages.length, 1, "no later stage started");
  });

  it("refuses a forged approval from people who are not approvers, and nothing changes", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`);
    const status = await requestPackage(page, "Salesforce", "Customer calls with the sales team");
    const before = await requestOf(FRED.id, DEMO.packages.salesforce);
    const forged = { requestId: before.id, stage: 1, revision: before.revision, decisionReason: "me" };

    // Fred, the requester, sends an Approve through the page's API on his own status card.
    const fredsCardId = (await status.getAttribute("data-testid"))!.replace(/^card-/, "");
    const fredAnswer = await forgeClick(page, FRED.id, fredsCardId, forged);
    assert.match(JSON.stringify(fredAnswer), /can't decide your own request/i);
    await card(page, "You can't decide your own request").waitFor();

    // Christie approves other requests, not this one: she has only her welcome card to forge on.
    await chatAs(page, CHRISTIE.id, CHRISTIE.name);
    await say(page, "hi");
    const welcome = page.getByTestId("messages").locator('[data-testid^="card-"]').first();
    const christiesCardId = (await welcome.getAttribute("data-testid"))!.replace(/^card-/, "");
    const christieAnswer = await forgeClick(page, CHRISTIE.id, christiesCardId, forged);
    assert.match(JSON.stringify(christieAnswer), /aren't an approver|isn't yours/i);
    await card(page, /You aren't an approver here|Request not found/).waitFor();
    await step("forged 01 Christie is refused");

    const after = await requestOf(FRED.id, DEMO.packages.salesforce);
    assert.equal(after.state, before.state);
    assert.equal(after.revision, before.revision);
    assert.equal(after.stages[0]?.decision, undefined);

    // Megan, the real approver, still has live buttons.
    await chatAs(page, MEGAN.id, MEGAN.name);
    await card(page, "Approval needed: Salesforce").getByRole("button", { name: "Approve" }).waitFor();
  });

  it("works on a phone: one column, nothing wider than the screen, cards usable", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`, { width: 390, height: 844 });
    await say(page, "what can I request?");
    const list = card(page, /Business Analyst/);
    await list.waitFor();
    for (const id of [`persona-${MEGAN.id}`, "composer", "send"]) {
      assert.ok(await page.getByTestId(id).isVisible(), `${id} is visible`);
    }
    const overflow = await page.evaluate(() => {
      const wide = Array.from(document.querySelectorAll<HTMLElement>("body *")).filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > window.innerWidth + 1 && !e.closest(".nav-list");
      });
      return {
        page: document.documentElement.scrollWidth,
        wide: wide.slice(0, 5).map((e) => `${e.tagName}.${e.className}`),
      };
    });
    assert.ok(overflow.page <= 390, `page is ${overflow.page}px wide`);
    assert.deepEqual(overflow.wide, [], "elements wider than the screen");
    await step("phone 01 package list");

    // A button on a card is reachable and works at this width.
    await say(page, "I need access to Design Tools");
    await card(page, "What it grants").getByRole("button", { name: "Request access" }).click();
    await card(page, "Request Design Tools").getByRole("button", { name: "Submit request" }).waitFor();
    await step("phone 02 request form");
  });

  it("works with the keyboard only: Tab to the composer, Enter sends, Tab reaches card buttons", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`);
    // The first Tab reaches the skip link; following it puts the caret in the message box.
    await page.keyboard.press("Tab");
    assert.equal(await activeTestId(page), "skip-link");
    await page.keyboard.press("Enter");
    assert.equal(await activeTestId(page), "composer");
    const before = await page.getByTestId("messages").locator("article").count();
    await page.keyboard.type("I need access to Design Tools");
    await page.keyboard.press("Enter");
    await waitForMessages(page, before + 2);
    const pkg = card(page, "What it grants").filter({ hasText: "Design Tools" });
    await pkg.waitFor();
    assert.equal(await activeTestId(page), "composer", "focus stays in the composer after sending");

    // Shift+Tab walks back from the composer into the newest card's buttons.
    await tabUntil(page, "Shift+Tab", (el) => el.text === "Request access");
    await page.keyboard.press("Enter");
    const form = card(page, "Request Design Tools");
    await form.waitFor();
    await tabUntil(page, "Shift+Tab", (el) => el.text === "Submit request");
    await step("keyboard 01 focus on Submit request");
    await page.keyboard.press("Enter");
    await card(page, "You now have Design Tools").waitFor();
    await step("keyboard 02 delivered");
  });
});

/** Sends an Action.Execute through the page's own API, as a crafted click would. */
async function forgeClick(page: Page, userId: string, activityId: string, data: Record<string, unknown>) {
  return page.evaluate(
    async ({ userId, activityId, data }) => {
      const base = document.querySelector<HTMLMetaElement>("meta[name='local-channel-base']")!.content;
      const response = await fetch(`${base}/api/invoke`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ userId, activityId, verb: "approval.approve", data, trigger: "manual" }),
      });
      return response.json();
    },
    { userId, activityId, data },
  );
}

/** The focused element's test id, or "skip-link" for the skip link. */
function activeTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (el?.classList.contains("skip-link")) return "skip-link";
    return el?.getAttribute("data-testid") ?? el?.id ?? null;
  });
}

/** Presses `key` until the focused element matches; fails after 40 presses. */
async function tabUntil(
  page: Page,
  key: "Tab" | "Shift+Tab",
  match: (el: { tag: string; text: string }) => boolean,
): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(key);
    const el = await page.evaluate(() => ({
      tag: document.activeElement?.tagName ?? "",
      text: (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "",
    }));
    if (match(el)) return;
    seen.push(`${el.tag}:${el.text.slice(0, 20)}`);
  }
  assert.fail(`never reached the element; focus went through ${seen.join(" | ")}`);
}
