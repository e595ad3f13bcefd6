/**
 * An approver who removed Access Desk, through the real app in headless Chromium: Teams refuses
 * the bot's approval card to them (403), the rest of their stage still gets it, and the catalog
 * owner and the requester are told whom the desk could not reach. Once she adds the app back, the
 * requests waiting for her come with the welcome.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { RecordedActivity } from "../../src/local-channel";
import { deskInBrowser, type DeskUnderTest } from "./support/running-desk";
import { card, chatAs, decide, openChat, requestPackage } from "./support/story";

const FRED = { id: DEMO.fred, name: "Fred Fischer" };
const MEGAN = { id: DEMO.managerOfFred, name: "Megan Bowen" };
const LIDIA = { id: DEMO.securityApprover, name: "Lidia Holloway" };

describe("Access Desk in Chromium: a Security Team approver who removed the app", function () {
  this.timeout(60_000);
  let desk: DeskUnderTest;
  let browser: Browser;
  let page: Page;

  deskInBrowser(
    "removed-approver",
    (d, b) => ([desk, browser] = [d, b]),
    () => page,
  );

  const shows = (text: string) => (a: RecordedActivity) => JSON.stringify(a.activity).includes(text);
  const botSaid = (userId: string) =>
    desk.app.localChannel.activities(desk.app.localChannel.conversationOf(userId));

  it("is not sent the stage-2 approval card; the catalog owner and the requester hear she could not be reached; back, she finds the request waiting and approves it", async () => {
    page = await openChat(browser, desk.chatUrl);
    await chatAs(page, LIDIA.id, LIDIA.name);
    await page.getByRole("button", { name: "Remove Access Desk" }).click();
    await page.getByTestId("removed-banner").waitFor();

    await chatAs(page, FRED.id, FRED.name);
    await requestPackage(page, "Business Analyst", "Month-end reporting for the Finance team");
    await chatAs(page, MEGAN.id, MEGAN.name);
    const megansCard = await decide(page, "Business Analyst", "Approve", "Fred joins month-end reporting");
    await megansCard.getByText(/Approved by Megan Bowen/).waitFor();

    // Isaiah Langer owns the General catalog (governance/catalogs.yaml); he is not a page persona.
    const told = await desk.app.localChannel.waitFor(() =>
      botSaid(DEMO.itHead).find(shows(`Couldn't reach ${LIDIA.name}: Business Analyst`)),
    );
    assert.ok(told);
    assert.ok(botSaid(DEMO.ciso).some(shows("Approval needed: Business Analyst")), "Lee Gu, Security Team");
    assert.equal(botSaid(LIDIA.id).filter(shows("Approval needed")).length, 0, "Teams refused Lidia's card");

    // Fred, whose request waits on her stage, reads it in his chat.
    await chatAs(page, FRED.id, FRED.name);
    await page.getByText(`Couldn't reach ${LIDIA.name}`).first().waitFor();

    await chatAs(page, LIDIA.id, LIDIA.name);
    await page.getByTestId("removed-banner").waitFor();
    assert.equal(await card(page, "Approval needed").count(), 0);

    // She adds the app back: the card she missed is not sent again, but the requests waiting for
    // her come with the welcome, and she approves from there.
    await page.getByTestId("reinstall").click();
    await page.getByTestId("removed-banner").waitFor({ state: "hidden" });
    const testId = await card(page, "Waiting for your approval (1)").getAttribute("data-testid");
    const digest = page.getByTestId(testId!);
    await digest.getByText("Business Analyst: Fred Fischer").waitFor();
    await digest.getByLabel(/^Reason/).fill("Checked with the Finance lead");
    await digest.getByRole("button", { name: "Approve", exact: true }).click();
    await digest.getByText("Approved: Business Analyst for Fred Fischer").waitFor();

    await chatAs(page, FRED.id, FRED.name);
    await card(page, "You now have Business Analyst").waitFor();
  });
});
