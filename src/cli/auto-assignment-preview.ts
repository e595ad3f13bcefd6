import type { AutoAssignmentPreview } from "../app/lifecycle/auto-assignment";

/** The dry run of the auto-assignment rules, as `governance plan` prints it. */
export function formatAutoAssignmentPreviews(
  previews: AutoAssignmentPreview[],
  nameOf: (userId: string) => string = (id) => id,
): string {
  const lines = ["", "Auto-assignment rules (dry run against the directory and current assignments):"];
  for (const p of previews) {
    const state = p.enabled ? "enabled" : "disabled: would do this once enabled";
    lines.push(`  ${p.policyName} (${p.policyId}, ${state})`);
    if (p.problem) {
      lines.push(`    the rule does not parse: ${p.problem}`);
      continue;
    }
    const add = (p.plan?.add ?? []).map(nameOf);
    const remove = (p.plan?.remove ?? []).map(nameOf);
    lines.push(`    would add ${add.length}: ${add.join(", ") || "nobody"}`);
    lines.push(
      `    would remove ${remove.length} (after the grace period): ${remove.join(", ") || "nobody"}`,
    );
  }
  return lines.join("\n");
}
