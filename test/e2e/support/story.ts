/**
 * The steps a person takes on the local chat page, written once for the story test and the README
 * screenshot script: type, click persona buttons, open cards, fill inputs, press card buttons.
 */
import type { Browser, Locator, Page } from "playwright-core";

/** A laptop screen, the size the README screenshot shows. */
export const LAPTOP = { width: 1280, height: 800 };

/** Opens the chat page (optionally as a persona) and waits until it is live. */
export async function openChat(browser: Browser, chatUrl: string, size = LAPTOP): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(chatUrl);
  await page.locator("body[data-ready][data-live]").waitFor();
  return page;
}

/** The newest card in the open conversation that shows `text`. */
export function card(page: Page, text: string | RegExp): Locator {
  return page.getByTestId("messages").locator('[data-testid^="card-"]').filter({ hasText: text }).last();
}

/** The newest post in the open team channel that shows `text`. */
export function channelPost(page: Page, text: string | RegExp): Locator {
  return page.getByTestId("channel").locator('[data-testid^="card-"]').filter({ hasText: text }).last();
}

const messageCount = (page: Page) => page.getByTestId("messages").locator("article").count();

/** Waits until the open chat has at least `count` messages. */
export async function waitForMessages(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid='messages'] article").length >= n,
    count,
  );
}

/** Types a message in the composer, sends it with Enter and waits for the bot's answer. */
export async function say(page: Page, text: string): Promise<void> {
  const before = await messageCount(page);
  await page.getByTestId("composer").fill(text);
  await page.getByTestId("composer").press("Enter");
  await waitForMessages(page, before + 2);
}

/** Switches to a persona's 1:1 chat and waits for it to show. */
export async function chatAs(page: Page, personaId: string, displayName: string): Promise<void> {
  await page.getByTestId(`persona-${personaId}`).click();
  await page.locator("#subtitle", { hasText: `Chat as ${displayName}` }).waitFor();
  await page.getByTestId("messages").locator("article, .empty").first().waitFor();
}

/**
 * Asks for a package by name, opens the request form from the package card, fills the
 * justification and submits; resolves with the status card.
 */
export async function requestPackage(
  page: Page,
  packageName: string,
  justification: string,
): Promise<Locator> {
  await say(page, `I need access to ${packageName}`);
  const pkg = card(page, "What it grants").filter({ hasText: packageName });
  await pkg.getByRole("button", { name: "Request access" }).click();
  const form = card(page, `Request ${packageName}`);
  await form.getByLabel(/Business justification/).fill(justification);
  await form.getByRole("button", { name: "Submit request" }).click();
  const status = card(page, `Request submitted: ${packageName}`);
  await status.waitFor();
  return status;
}

/** On the newest approval card for `packageName`: type the reason and press Approve or Deny. */
export async function decide(
  page: Page,
  packageName: string,
  button: "Approve" | "Deny",
  reason: string,
): Promise<Locator> {
  // Held by its message id: the card's title changes once decided.
  const testId = await card(page, `Approval needed: ${packageName}`)
    .filter({ has: page.getByRole("button", { name: button }) })
    .getAttribute("data-testid");
  const approval = page.getByTestId(testId!);
  await approval.getByLabel(/Reason/).fill(reason);
  await approval.getByRole("button", { name: button }).click();
  return approval;
}
