import type { CallbackClaims } from "../domain/extensions/model";

/** One signed outbound call of a custom extension. The adapter adds the timestamp and signature. */
export interface WebhookCall {
  url: string;
  /** Names `EXTENSION_SECRET_<secretName>`: the adapter holds the secrets, the app never sees one. */
  secretName: string;
  /** Stable per event: the same on every retry, so the receiver can drop a repeat. */
  idempotencyKey: string;
  eventType: string;
  /** The JSON body, exactly as sent and signed. */
  body: string;
  timeoutMs: number;
}

export type WebhookOutcome =
  | { ok: true; status: number }
  | {
      ok: false;
      /** Absent for a timeout or a network error. */
      status?: number;
      error: string;
      /** A timeout, a network error, 408, 425, 429 or 5xx: asking again may work. */
      retryable: boolean;
      retryAfterMs?: number;
    };

export interface WebhookSender {
  send(call: WebhookCall): Promise<WebhookOutcome>;
}

/** Single-use approval callback URLs: minted (signed) for a stage, read back when called. */
export interface CallbackTokens {
  /** Throws when no callback key is configured. Deterministic: the same claims give the same token. */
  mint(claims: CallbackClaims): string;
  /** The claims of a token Access Desk signed, or undefined for a forged or malformed one. */
  read(token: string): CallbackClaims | undefined;
}

/** Checks `X-AccessDesk-Signature` of an incoming callback against the extension's secret. */
export interface SignatureVerifier {
  verify(
    secretName: string,
    timestamp: string,
    body: string,
    signature: string,
  ): "valid" | "invalid" | "noSecret";
}

/** What the use cases need for custom extensions; absent, no webhook is sent (calls wait in the outbox). */
export interface ExtensionPorts {
  sender: WebhookSender;
  tokens: CallbackTokens;
  signatures: SignatureVerifier;
  /** Public base URL of the callback route, e.g. https://desk.contoso.com/api/extensions/callback */
  callbackBaseUrl: string;
}
