import { randomBytes } from "node:crypto";
import { ExtensionSecrets, HmacCallbackTokens, HttpWebhookSender } from "../adapters/webhooks";
import type { Config } from "../config";
import { EXTENSION_CALLBACK_PATH } from "../http/extension-callback";
import type { ExtensionPorts } from "../ports/extensions";

/**
 * Custom extensions' ports: webhooks over fetch, signed with the secrets config.ts read, and the
 * callback URL signer. Local mode without EXTENSION_CALLBACK_KEY makes a key up per process (a
 * restart voids the callback URLs it sent; the stage then times out as usual).
 */
export function buildExtensionPorts(
  config: Pick<Config, "mode" | "publicUrl" | "extensions">,
  overrides: { now?: () => number } = {},
): ExtensionPorts {
  const secrets = new ExtensionSecrets(config.extensions?.secrets ?? {});
  const callbackKey =
    config.extensions?.callbackKey ?? (config.mode === "local" ? randomBytes(32).toString("hex") : undefined);
  return {
    sender: new HttpWebhookSender({
      secrets,
      allowLoopbackHttp: config.mode === "local",
      now: overrides.now,
    }),
    tokens: new HmacCallbackTokens(callbackKey),
    signatures: secrets,
    callbackBaseUrl: `${config.publicUrl}${EXTENSION_CALLBACK_PATH}`,
  };
}
