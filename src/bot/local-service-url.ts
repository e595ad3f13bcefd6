/** Which serviceUrl an unauthenticated (local-mode) activity may name. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Local mode checks no tokens, so an activity may only name a serviceUrl on this machine (or the one
 * the operator configured): the bot must not post to addresses an unauthenticated caller chose.
 * Returns the reason to refuse, or undefined.
 */
export function localServiceUrlProblem(serviceUrl: unknown, configured?: string): string | undefined {
  const refusal =
    "Without MicrosoftAppId (local mode) the bot only answers activities whose serviceUrl is on this " +
    "machine (http://127.0.0.1 or http://localhost)";
  if (typeof serviceUrl !== "string") return `${refusal}; the activity has none.`;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return `${refusal}; "${serviceUrl}" is not a URL.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `${refusal}; "${serviceUrl}" is not http(s).`;
  }
  if (LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (configured && sameOrigin(url, configured)) return undefined;
  return `${refusal}; "${serviceUrl}" is not.`;
}

function sameOrigin(url: URL, other: string): boolean {
  try {
    return new URL(other).origin === url.origin;
  } catch {
    return false;
  }
}
