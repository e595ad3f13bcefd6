/**
 * Writes the README's screenshot, docs/images/chat-page.png: the local chat page at laptop size,
 * as Megan Bowen (Fred's manager) with Fred's Business Analyst request waiting for her.
 *
 *   npx tsx test/e2e/support/make-screenshot.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEMO } from "../../../src/adapters/local-directory/demo-ids";
import { chromiumAvailable, CHROMIUM_PATH, launchBrowser } from "../../support/browser";
import { startDeskForBrowser } from "./running-desk";
import { card, chatAs, openChat, requestPackage } from "./story";

const OUT = path.resolve(__dirname, "..", "..", "..", "docs", "images", "chat-page.png");

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM_PATH}; set CHROMIUM_PATH.`);
  const desk = await startDeskForBrowser();
  const browser = await launchBrowser();
  try {
    const page = await openChat(browser, desk.chatUrl);
    await requestPackage(page, "Business Analyst", "Month-end reporting for the Finance team");
    await chatAs(page, DEMO.managerOfFred, "Megan Bowen");
    const approval = card(page, "Approval needed: Business Analyst");
    await approval.getByRole("button", { name: "Approve" }).waitFor();
    await approval.getByLabel(/Reason/).fill("Fred joins month-end reporting");
    await page.locator("body").click({ position: { x: 1, y: 1 } }); // no focus ring in the picture
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT });
    console.log(`Wrote ${path.relative(process.cwd(), OUT)} (${fs.statSync(OUT).size} bytes).`);
  } finally {
    await browser.close();
    await desk.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
