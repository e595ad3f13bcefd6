import type { GovernanceConfig } from "../../../src/domain/model";
import { parseGovernance } from "../../../src/governance/load";
import { validFiles } from "../support";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * The valid fixture with `count` more packages, each with a policy: 2 catalogs, 1 organisation and
 * 2 + 2 * count items, so a configuration of 120 holds 245 rows, far more than one transaction.
 * `edition` changes every generated package's description; `from` shifts which packages exist.
 */
export async function bigConfig(count: number, edition: string, from = 1): Promise<GovernanceConfig> {
  const parsed = await parseGovernance(validFiles());
  if (!parsed.ok) throw new Error("the valid fixture must parse");
  const config = parsed.config;
  const [pkg] = config.packages;
  const [policy] = config.policies;
  for (let i = from; i < from + count; i += 1) {
    const id = `bulk-${String(i).padStart(3, "0")}`;
    config.packages.push({ ...clone(pkg!), id, name: `Bulk ${i}`, description: `edition ${edition}` });
    config.policies.push({ ...clone(policy!), id: `${id}-members`, packageId: id });
  }
  return config;
}
