/**
 * Step-up on the local chat page, in headless Chromium through the real app: ERP Project's stage
 * (Christie Cline) requires a fresh MFA sign-in. The bot answers "Sign in to approve" with a login
 * request, the page's simulated sign-in dialog makes the local channel's OpenID provider sign a
 * token, and the production verifier and step-up rules judge it.
 */
import assert from "node:assert/strict";
import type { Browser, Locator, Page } from "playwright-core";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import { screenshot } from "../support/browser";
import { deskInBrowser, type DeskUnderTest } from "./support/running-desk";
import { card, chatAs, decide, openChat, requestPackage } from "./support/story";

const FRED = { id: DEMO.fred, name: "Fred Fischer" };
const CHRISTIE = { id: DEMO.christie, name: "Christie Cline" };

describe("Step-up sign-in on the chat page, in Chromium through the real app", function () {
  this.timeout(60_000);
  let desk: DeskUnderTest;
  let browser: Browser;
  let page: Page;

  deskInBrowser(
    "step-up",
    (d, b) => ([desk, browser] = [d, b]),
    () => page,
  );

  const erpRequest = async () => {
    const all = await desk.app.deps.requests.listForUser(FRED.id);
    const found = all
      .filter((r) => r.packageId === DEMO.packages.erpProject)
      .sort((a, b) => b.revision - a.revision)[0];
    assert.ok(found, "Fred has an ERP Project request");
    return (await desk.app.deps.requests.get(found.id))!.value;
  };
  const dialog = () => page.getByRole("dialog", { name: "Sign in to Access Desk" });
  const status = () => page.getByTestId("status");

  /** Christie presses Approve on the ERP card and is asked to sign in; returns her card. */
  async function approveAsksForSignIn(reason: string): Promise<Locator> {
    const approval = await decide(page, "ERP Project", "Approve", reason);
    await approval.getByText("Sign in to approve").first().waitFor();
    await approval.getByText(/multi-factor sign-in from the last 10 minutes/).waitFor();
    return approval;
  }

  it("counts Christie's approval only after a simulated MFA sign-in; cancelled or without MFA it is refused", async () => {
    page = await openChat(browser, `${desk.chatUrl}#${FRED.id}`);
    const fredsStatus = await requestPackage(page, "ERP Project", "Joining the ERP rollout");
    await fredsStatus.getByText("Waiting for Christie Cline").waitFor();

    await chatAs(page, CHRISTIE.id, CHRISTIE.name);
    const approval = await approveAsksForSignIn("Rollout team member");
    assert.equal((await erpRequest()).stages[0]!.decision, undefined, "the click recorded nothing");

    // The dialog names her; Escape cancels it and nothing is sent.
    await approval.getByRole("button", { name: "Sign in to approve" }).click();
    await dialog().waitFor();
    await dialog().getByText(CHRISTIE.name).waitFor();
    await screenshot(page, "step-up 01 the sign-in dialog");
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "hidden" });
    await status().getByText("Sign-in cancelled. Nothing was recorded.").waitFor();
    assert.equal((await desk.app.deps.audit.query({ subject: `user:${CHRISTIE.id}` })).length, 0);

    // Sign in without MFA: the card says why it did not count.
    await approval.getByRole("button", { name: "Sign in to approve" }).click();
    await dialog().waitFor();
    await dialog().getByRole("button", { name: "Sign in without MFA (simulated)" }).click();
    await dialog().waitFor({ state: "hidden" });
    await approval.getByText("That sign-in did not use multi-factor authentication").waitFor();
    assert.doesNotMatch(await approval.innerText(), /within 0 minutes/);
    await approval.getByRole("button", { name: "Sign in to approve" }).waitFor();
    assert.equal((await erpRequest()).stages[0]!.decision, undefined, "no decision without MFA");

    // With MFA, chosen with the keyboard: the dialog opens on that button.
    await approval.getByRole("button", { name: "Sign in to approve" }).click();
    await dialog().waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "sign-in-mfa",
    );
    await page.keyboard.press("Enter");
    await approval.getByText("You signed in with multi-factor authentication").waitFor();
    await status().getByText("Signed in with MFA (simulated).").waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest("[data-testid^='card-']") !== null),
      true,
      "focus is back on the card",
    );
    await screenshot(page, "step-up 02 signed in with MFA");

    // Approve again: now it counts.
    await decide(page, "ERP Project", "Approve", "Rollout team member");
    await page
      .getByTestId("messages")
      .getByText(/Approved by Christie Cline/)
      .first()
      .waitFor();
    const decided = await erpRequest();
    assert.equal(decided.stages[0]!.decision?.by, CHRISTIE.id);

    // Fred sees the result.
    await chatAs(page, FRED.id, FRED.name);
    await card(page, "You now have ERP Project").waitFor();
    const audit = await desk.app.deps.audit.query({ subject: `user:${CHRISTIE.id}` });
    assert.deepEqual(audit.map((e) => e.action).sort(), ["stepUp.refused", "stepUp.verified"]);
  });
});
