import type { EnvReader } from "./env-reader";
import type { Config } from "./settings";

/** A group's object id as the directory names it: letters, digits and a few separators, no spaces. */
const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/**
 * Who governs and who audits across every catalog (groups by object id), and the secret that signs
 * audit download links. Only the settings that are set appear in the result.
 */
export function readGovernanceAccess({
  read,
  problems,
}: EnvReader): Pick<Config, "governanceAdministratorsGroupId" | "auditorsGroupId" | "auditLinkSecret"> {
  const administrators = read("GOVERNANCE_ADMINISTRATORS_GROUP_ID");
  if (administrators !== undefined && !GROUP_ID.test(administrators)) {
    problems.push(
      `GOVERNANCE_ADMINISTRATORS_GROUP_ID="${administrators}" is not valid: use the group's object id`,
    );
  }
  const auditors = read("AUDITORS_GROUP_ID");
  if (auditors !== undefined && !GROUP_ID.test(auditors))
    problems.push(`AUDITORS_GROUP_ID="${auditors}" is not valid: use the group's object id`);
  const auditLinkSecret = read("AUDIT_LINK_SECRET");
  if (auditLinkSecret !== undefined && auditLinkSecret.length < 32)
    problems.push(
      "AUDIT_LINK_SECRET is too short: use at least 32 random characters (e.g. openssl rand -hex 32)",
    );
  return {
    ...(administrators ? { governanceAdministratorsGroupId: administrators } : {}),
    ...(auditors ? { auditorsGroupId: auditors } : {}),
    ...(auditLinkSecret ? { auditLinkSecret } : {}),
  };
}
