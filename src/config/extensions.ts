import type { EnvReader } from "./env-reader";
import type { Config } from "./settings";

/**
 * Custom extensions' secrets, one variable per secret name (`EXTENSION_SECRET_TICKETING` for
 * `secretName: TICKETING`; a Key Vault reference resolves into the same variable), and the key that
 * signs approval callback URLs (EXTENSION_CALLBACK_KEY, 32+ characters).
 */
export function readExtensions({ env, read, problems }: EnvReader): Config["extensions"] | undefined {
  const secrets: Record<string, string> = {};
  for (const name of Object.keys(env)) {
    const match = /^EXTENSION_SECRET_([A-Z0-9_]{1,64})$/.exec(name);
    const value = match ? read(name) : undefined;
    if (!match || value === undefined) continue;
    if (value.length < 16) problems.push(`${name} is too short: use at least 16 random characters`);
    else secrets[match[1]!] = value;
  }
  const callbackKey = read("EXTENSION_CALLBACK_KEY");
  if (callbackKey !== undefined && callbackKey.length < 32)
    problems.push(
      "EXTENSION_CALLBACK_KEY is too short: use at least 32 random characters (e.g. openssl rand -hex 32)",
    );
  if (Object.keys(secrets).length === 0 && !callbackKey) return undefined;
  return { secrets, ...(callbackKey ? { callbackKey } : {}) };
}
