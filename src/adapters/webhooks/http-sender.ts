import { isRetryableStatus } from "../../domain/extensions/backoff";
import type { WebhookCall, WebhookOutcome, WebhookSender } from "../../ports/extensions";
import type { ExtensionSecrets } from "./secrets";
import { signBody } from "./signing";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export interface HttpWebhookOptions {
  secrets: ExtensionSecrets;
  /** Plain http to loopback (local mode and tests); otherwise https only. */
  allowLoopbackHttp: boolean;
  /** Unix seconds; tests move it. */
  now?: () => number;
}

/** Retry-After in ms: seconds or an HTTP date. */
function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Sends a custom extension's webhook with node's fetch: a per-call timeout (AbortSignal), no
 * redirects followed (a redirect could carry the signed body elsewhere), the body signed as
 * `X-AccessDesk-Signature: sha256=<HMAC-SHA256(secret, timestamp + "." + body)>`.
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: HttpWebhookOptions) {}

  async send(call: WebhookCall): Promise<WebhookOutcome> {
    const url = new URL(call.url);
    const allowed =
      url.protocol === "https:" ||
      (url.protocol === "http:" && this.options.allowLoopbackHttp && LOOPBACK.test(url.hostname));
    if (!allowed)
      return {
        ok: false,
        error: `refused to call ${url.protocol}//${url.host}: use https`,
        retryable: false,
      };
    const secret = this.options.secrets.get(call.secretName);
    const nowMs = (this.options.now?.() ?? Date.now() / 1000) * 1000;
    const timestamp = String(Math.floor(nowMs / 1000));
    try {
      const response = await fetch(url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(call.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "AccessDesk-Extensions/1",
          "idempotency-key": call.idempotencyKey,
          "x-accessdesk-event": call.eventType,
          "x-accessdesk-timestamp": timestamp,
          "x-accessdesk-signature": signBody(secret, timestamp, call.body),
        },
        body: call.body,
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      const after = retryAfterMs(response.headers.get("retry-after"), nowMs);
      return {
        ok: false,
        status: response.status,
        error: `the endpoint answered ${response.status}`,
        retryable: isRetryableStatus(response.status),
        ...(after !== undefined ? { retryAfterMs: after } : {}),
      };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      return {
        ok: false,
        error: timedOut
          ? `no answer within ${call.timeoutMs / 1000} s`
          : `could not reach the endpoint (${error instanceof Error ? error.message : String(error)})`,
        retryable: true,
      };
    }
  }
}
