import type { EnvReader } from "./env-reader";
import type { StepUpSettings } from "./settings";

/** OAUTH_CONNECTION_NAME turns step-up on; without it step-up stages cannot be decided (fail closed). */
export function readStepUp(
  { read, problems }: EnvReader,
  tenantId: string | undefined,
): StepUpSettings | undefined {
  const connectionName = read("OAUTH_CONNECTION_NAME");
  if (!connectionName) return undefined;
  const audiences = (read("STEP_UP_AUDIENCE") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (audiences.length === 0)
    problems.push("STEP_UP_AUDIENCE is not set: give the client id of the OAuth connection's sign-in app");
  const metadataUrl =
    read("STEP_UP_OPENID_METADATA_URL") ??
    (tenantId ? `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration` : "");
  if (!metadataUrl)
    problems.push(
      "STEP_UP_OPENID_METADATA_URL is not set: name the OpenID metadata (or set MicrosoftAppTenantId)",
    );
  else if (!/^https:\/\//.test(metadataUrl))
    problems.push("STEP_UP_OPENID_METADATA_URL must be an https URL");
  const authContextId = read("STEP_UP_AUTH_CONTEXT_ID");
  if (authContextId !== undefined && !/^c([1-9]|[1-9][0-9])$/.test(authContextId))
    problems.push(
      `STEP_UP_AUTH_CONTEXT_ID="${authContextId}" is not valid: use an authentication context id, c1 to c99`,
    );
  return { connectionName, metadataUrl, audiences, ...(authContextId ? { authContextId } : {}) };
}
