import type { SodPreview } from "../app/queries/sod-preview";

/** The separation of duties dry run, as `governance plan` prints it. */
export function formatSodPreviews(previews: SodPreview[], packageName: (id: string) => string): string {
  if (previews.length === 0) return "";
  const lines = [
    "",
    `Separation of duties: ${previews.length} current holder(s) would violate a newly declared incompatibility:`,
  ];
  for (const v of previews) {
    lines.push(
      v.kind === "packages"
        ? `  ${v.userName} (${v.userId}) holds ${packageName(v.packageId)} and ${packageName(v.otherPackageId)}`
        : `  ${v.userName} (${v.userId}) holds ${packageName(v.packageId)} and is a member of ${v.groupName ?? v.groupId}`,
    );
  }
  lines.push("  Applying does not remove anyone: review these assignments (remove <person> from <package>).");
  return lines.join("\n");
}
