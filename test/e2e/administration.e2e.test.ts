/**
 * An administrator in headless Chromium through the real app (demo organisation and governance):
 * Irvin Sayers, assignment manager of the General catalog, assigns Business Analyst directly, sees
 * who has it and exports them; Fred is told; Fred himself is refused the admin phrase.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import { deskInBrowser, type DeskUnderTest } from "./support/running-desk";
import { card, chatAs, openChat, say } from "./support/story";

const FRED = { id: DEMO.fred, name: "Fred Fischer" };
const IRVIN = { id: DEMO.itApprover, name: "Irvin Sayers" };

describe("Access Desk in Chromium: an administrator assigns and sees who has a package", function () {
  this.timeout(60_000);
  let desk: DeskUnderTest;
  let browser: Browser;
  let page: Page;

  deskInBrowser(
    "administration",
    (d, b) => ([desk, browser] = [d, b]),
    () => page,
  );

  it("assigns Business Analyst to Fred for 10 days, lists him as Direct and exports the CSV", async () => {
    page = await openChat(browser, desk.chatUrl);
    await chatAs(page, IRVIN.id, IRVIN.name);
    await say(page, "asign Business Analyst to Fred Fischer for 10 days because covering month-end");
    await card(page, "Assigned: Business Analyst to Fred Fischer").waitFor();

    await say(page, "who has busines analyst");
    const holders = card(page, "Who has Business Analyst");
    await holders.waitFor();
    const row = holders.locator(".ac-columnSet").filter({ hasText: "Fred Fischer" });
    await row.getByText("Direct").waitFor();
    await holders.getByRole("button", { name: "Export CSV" }).click();
    const exported = card(page, /CSV export, \d+ rows?/);
    await exported.waitFor();
    const csv = await exported.getByRole("textbox").inputValue();
    assert.match(csv, /^person,userId,state,start,end,howAssigned,assignmentId\n/);
    assert.match(csv, new RegExp(`\\nFred Fischer,${FRED.id},delivered,[^,]+,[^,]+,direct,`));

    await chatAs(page, FRED.id, FRED.name);
    await card(page, "You now have Business Analyst").waitFor();
    await say(page, "who has Business Analyst");
    const refused = card(page, "You need an administrative role");
    await refused.getByText(/catalog reader of the General catalog/).waitFor();
    assert.doesNotMatch(await refused.innerText(), /Irvin|Lola/);
  });
});
