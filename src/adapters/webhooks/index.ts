export { HttpWebhookSender, type HttpWebhookOptions } from "./http-sender";
export { HmacCallbackTokens } from "./callback-tokens";
export { ExtensionSecrets } from "./secrets";
export { signBody } from "./signing";
