import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags that keep Chromium on loopback: no background fetches, updates, sync or QUIC. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const ARTIFACTS_DIR = path.resolve(__dirname, "..", "..", "test-artifacts");

export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Skips the calling suite, saying why, when Chromium is not installed (and only then). */
export function skipWithoutChromium(ctx: Mocha.Context): void {
  if (chromiumAvailable()) return;
  console.warn(`Skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium).`);
  ctx.skip();
}

/**
 * Headless Chromium. Playwright's launch gives every browser a fresh temporary profile directory
 * (and each `newContext`/`newPage` its own cookies and storage), removed when the browser closes.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Saves a full-page screenshot under test-artifacts/ (git-ignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
