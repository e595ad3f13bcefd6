/**
 * The whole Access Desk in local mode for browser tests: Azurite in memory, the real bot, the demo
 * organisation and governance files, the local chat page at `/chat`.
 */
import type { Browser, Page } from "playwright-core";
import { startAzurite } from "../../support/azurite";
import { launchBrowser, screenshot, skipWithoutChromium } from "../../support/browser";
import { startLocalDesk, type LocalDesk } from "../../support/desk";

export interface DeskUnderTest {
  app: LocalDesk;
  /** The chat page's address. */
  chatUrl: string;
  stop(): Promise<void>;
}

/** `env` adds settings, e.g. `APPROVAL_DIGEST_THRESHOLD` for when approval cards become a digest. */
export async function startDeskForBrowser(env: Record<string, string> = {}): Promise<DeskUnderTest> {
  const azurite = await startAzurite({ inMemory: true });
  try {
    const app = await startLocalDesk(azurite, env);
    return {
      app,
      chatUrl: `${app.url}/chat`,
      async stop() {
        await app.stop();
        await azurite.stop();
      },
    };
  } catch (error) {
    await azurite.stop();
    throw error;
  }
}

/**
 * One desk and one browser for a suite, started before its tests and stopped after them; the page
 * a test leaves open (`current`) is screenshotted under `label` and closed after each test.
 */
export function deskInBrowser(
  label: string,
  started: (desk: DeskUnderTest, browser: Browser) => void,
  current: () => Page | undefined,
): void {
  let desk: DeskUnderTest | undefined;
  let browser: Browser | undefined;
  before(async function () {
    skipWithoutChromium(this);
    [desk, browser] = await Promise.all([startDeskForBrowser(), launchBrowser()]);
    started(desk, browser);
  });
  after(async () => {
    await browser?.close();
    await desk?.stop();
  });
  afterEach(async function () {
    const page = current();
    if (!page || page.isClosed()) return;
    await screenshot(page, `${label} ${this.currentTest?.title ?? "test"} (end)`);
    await page.close();
  });
}
