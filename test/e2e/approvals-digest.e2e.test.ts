/**
 * A busy approver in headless Chromium through the real app (demo organisation and governance):
 * Fred and Lola, both managed by Megan Bowen, ask for three packages; Megan types "my approvals",
 * ticks two requests, writes one reason and presses Approve selected, then denies the third from
 * its row with a reason. Fred sees his next stage and the denial's reason, Lola gets her access.
 */
import assert from "node:assert/strict";
import type { Browser, Locator, Page } from "playwright-core";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import { launchBrowser, screenshot, skipWithoutChromium } from "../support/browser";
import { startDeskForBrowser, type DeskUnderTest } from "./support/running-desk";
import { card, chatAs, openChat, requestPackage, say } from "./support/story";

const FRED = { id: DEMO.fred, name: "Fred Fischer" };
const LOLA = { id: DEMO.lola, name: "Lola Jimenez" };
const MEGAN = { id: DEMO.managerOfFred, name: "Megan Bowen" };

/** One request's row on the digest: the innermost block with its heading and its own toggle. */
function row(digest: Locator, heading: string): Locator {
  return digest
    .locator(".ac-container")
    .filter({ hasText: heading })
    .filter({ has: digest.page().getByRole("checkbox") })
    .last();
}

describe("Access Desk in Chromium: a manager decides several requests from her approvals digest", function () {
  this.timeout(60_000);
  let desk: DeskUnderTest;
  let browser: Browser;
  let page: Page;

  before(async function () {
    skipWithoutChromium(this);
    // One approval card per request, so the digest Megan sees is the one she asked for.
    [desk, browser] = await Promise.all([
      startDeskForBrowser({ APPROVAL_DIGEST_THRESHOLD: "0" }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await desk?.stop();
  });
  afterEach(async function () {
    if (!page || page.isClosed()) return;
    await screenshot(page, `digest ${this.currentTest?.title ?? "test"} (end)`);
    await page.close();
  });

  const step = (name: string) => screenshot(page, `digest ${name}`);
  const requestOf = async (userId: string, packageId: string) => {
    const all = await desk.app.deps.requests.listForUser(userId);
    const found = all.filter((r) => r.packageId === packageId).sort((a, b) => b.revision - a.revision)[0];
    assert.ok(found, `${userId} has a request for ${packageId}`);
    return (await desk.app.deps.requests.get(found.id))!.value;
  };

  it("approves two selected requests with one reason, denies a third with a reason, and the requesters see it", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`);
    await requestPackage(page, "Business Analyst", "Month-end reporting for the Finance team");
    await requestPackage(page, "Accounting", "I book the VAT returns");
    await chatAs(page, LOLA.id, LOLA.name);
    await requestPackage(page, "Salesforce", "Customer calls with the sales team");

    await chatAs(page, MEGAN.id, MEGAN.name);
    await say(page, "my approvals");
    // Held by its message id: the title changes as requests are decided.
    const testId = await card(page, "Waiting for your approval (3)").getAttribute("data-testid");
    const digest = page.getByTestId(testId!);
    const ba = row(digest, "Business Analyst: Fred Fischer");
    const accounting = row(digest, "Accounting: Fred Fischer");
    const salesforce = row(digest, "Salesforce: Lola Jimenez");
    await ba.getByText("Justification: Month-end reporting for the Finance team").waitFor();
    await ba.getByText(/Stage 1 of 2\. Waiting since/).waitFor();
    await accounting.getByText("Stage 1 of 1", { exact: false }).waitFor();
    await salesforce.getByText("Justification: Customer calls with the sales team").waitFor();
    await step("01 Megan's digest");

    // She ticks Fred's Business Analyst and Lola's Salesforce, writes one reason, approves both.
    await ba.getByRole("checkbox").click();
    await salesforce.getByRole("checkbox").click();
    assert.equal(await accounting.getByRole("checkbox").isChecked(), false);
    await digest.getByLabel(/^Reason/).click();
    await page.keyboard.type("Quarter close: both are on the plan");
    await step("02 two selected, one reason");
    await digest.getByRole("button", { name: "Approve selected" }).click();

    await digest.getByText("Approved: Business Analyst for Fred Fischer").waitFor();
    await digest.getByText("Approved: Salesforce for Lola Jimenez").waitFor();
    await digest.getByText("Waiting for your approval (1)").waitFor();
    await row(digest, "Accounting: Fred Fischer").waitFor();
    assert.equal(await digest.getByText("Business Analyst: Fred Fischer").count(), 0, "decided rows leave");
    await step("03 two approved, one left");

    // The card her click answered is drawn as the bot sent it: the reason box is empty again, so
    // the last reason can't slip into the next decision. The third, from its row, with a new one.
    assert.equal(await digest.getByLabel(/^Reason/).inputValue(), "", "the reason box is empty");
    await digest.getByLabel(/^Reason/).click();
    await page.keyboard.type("Accounting comes with the SAP training in March");
    await row(digest, "Accounting: Fred Fischer").getByRole("button", { name: "Deny" }).click();
    await digest.getByText("Denied: Accounting for Fred Fischer").waitFor();
    await digest.getByText("Nothing is waiting for you", { exact: true }).waitFor();
    await step("04 the third denied");

    // Fred: Business Analyst moved on to the Security Team; Accounting was denied, and why.
    await chatAs(page, FRED.id, FRED.name);
    await card(page, "Stage 1 approved: Business Analyst")
      .getByText(/Next: .*Lidia Holloway/)
      .waitFor();
    const status = card(page, "Request submitted: Business Analyst");
    await status.getByText(/Approved by Megan Bowen .*Quarter close: both are on the plan/).waitFor();
    await status.getByText(/Waiting for .*Lidia Holloway/).waitFor();
    const denied = card(page, "Request denied: Accounting");
    await denied.getByText(/Accounting comes with the SAP training in March/).waitFor();
    await denied.getByText(/Megan Bowen/).waitFor();
    await step("05 Fred's next stage and his denial");

    // Lola: one stage only, so Salesforce is hers.
    await chatAs(page, LOLA.id, LOLA.name);
    await card(page, "You now have Salesforce").waitFor();
    await step("06 Lola has Salesforce");

    const [baRequest, accountingRequest, salesforceRequest] = await Promise.all([
      requestOf(FRED.id, DEMO.packages.businessAnalyst),
      requestOf(FRED.id, DEMO.packages.accounting),
      requestOf(LOLA.id, DEMO.packages.salesforce),
    ]);
    assert.equal(baRequest.currentStage, 1, "Business Analyst waits at stage 2");
    assert.deepEqual(
      [baRequest, salesforceRequest, accountingRequest].map((r) => ({
        by: r.stages[0]?.decision?.by,
        outcome: r.stages[0]?.decision?.outcome,
        why: r.stages[0]?.decision?.justification,
      })),
      [
        { by: MEGAN.id, outcome: "approve", why: "Quarter close: both are on the plan" },
        { by: MEGAN.id, outcome: "approve", why: "Quarter close: both are on the plan" },
        { by: MEGAN.id, outcome: "deny", why: "Accounting comes with the SAP training in March" },
      ],
    );
    assert.equal(accountingRequest.state, "denied");
    assert.equal(salesforceRequest.state, "delivered");
  });

  it("works on a phone: rows fit the screen, and Deny selected denies the ticked requests with one reason", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`, PHONE);
    await requestPackage(page, "Salesforce", "Pipeline review with the sales team");
    await requestPackage(page, "Accounting", "I book the VAT returns from January");

    await chatAs(page, MEGAN.id, MEGAN.name);
    await say(page, "approvals digest");
    const testId = await card(page, "Waiting for your approval (2)").getAttribute("data-testid");
    const digest = page.getByTestId(testId!);
    await step("phone 01 the digest");
    assert.deepEqual(await widerThanScreen(page), [], "elements wider than the screen");
    const salesforce = row(digest, "Salesforce: Fred Fischer");
    const accounting = row(digest, "Accounting: Fred Fischer");
    for (const r of [salesforce, accounting]) {
      for (const name of ["Approve", "Deny", "Open"])
        assert.ok(await r.getByRole("button", { name }).isVisible(), `${name} is visible`);
      // The toggle's word is shown whole, not cut to "S…" by the buttons beside it.
      const label = r.locator(".ac-toggleInput label");
      assert.equal(await label.innerText(), "Select");
      const cut = await label.evaluate((l) =>
        [l, ...Array.from(l.querySelectorAll("*"))].some((e) => e.scrollWidth > e.clientWidth),
      );
      assert.equal(cut, false, "Select is not cut off");
      await r.getByRole("checkbox").click();
    }
    await digest.getByLabel(/^Reason/).fill("Not before the reorganisation in January");
    await digest.getByRole("button", { name: "Deny selected" }).click();
    await digest.getByText("Denied: Salesforce for Fred Fischer").waitFor();
    await digest.getByText("Denied: Accounting for Fred Fischer").waitFor();
    await step("phone 02 both denied");

    await chatAs(page, FRED.id, FRED.name);
    for (const name of ["Salesforce", "Accounting"])
      await card(page, `Request denied: ${name}`)
        .getByText(/Not before the reorganisation in January/)
        .waitFor();
  });
});

describe("Access Desk in Chromium: a burst of requests reaches the manager as one digest", function () {
  this.timeout(60_000);
  let desk: DeskUnderTest;
  let browser: Browser;
  let page: Page;

  before(async function () {
    skipWithoutChromium(this);
    // Two approval cards for one approver within 8 s are a burst; the digest goes out 8 s later.
    [desk, browser] = await Promise.all([
      startDeskForBrowser({ APPROVAL_DIGEST_THRESHOLD: "2", APPROVAL_DIGEST_WINDOW_SECONDS: "8" }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await desk?.stop();
  });
  afterEach(async function () {
    if (!page || page.isClosed()) return;
    await screenshot(page, `digest burst ${this.currentTest?.title ?? "test"} (end)`);
    await page.close();
  });

  it("sends one digest instead of a second approval card, and Megan approves from its row", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`);
    await requestPackage(page, "Business Analyst", "Month-end reporting for the Finance team");
    await requestPackage(page, "Accounting", "I book the VAT returns");

    await chatAs(page, MEGAN.id, MEGAN.name);
    const digest = card(page, "Waiting for your approval (2)");
    await digest.waitFor({ timeout: 20_000 });
    await row(digest, "Business Analyst: Fred Fischer").waitFor();
    await row(digest, "Accounting: Fred Fischer").waitFor();
    // The first request came on its own card; the second only on the digest.
    await card(page, "Approval needed: Business Analyst").waitFor();
    assert.equal(await card(page, "Approval needed: Accounting").count(), 0, "no card of its own");
    await screenshot(page, "digest burst 01 Megan's digest");

    const held = page.getByTestId((await digest.getAttribute("data-testid"))!);
    await row(held, "Accounting: Fred Fischer").getByRole("button", { name: "Approve" }).click();
    await held.getByText("Approved: Accounting for Fred Fischer").waitFor();
    await held.getByText("Waiting for your approval (1)").waitFor();

    await chatAs(page, FRED.id, FRED.name);
    await card(page, "You now have Accounting").waitFor();
  });
});

const PHONE = { width: 390, height: 844 };

/** Elements that stick out past the right edge of the screen (the persona list scrolls sideways). */
function widerThanScreen(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("body *"))
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > window.innerWidth + 1 && !e.closest(".nav-list");
      })
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className}`),
  );
}
