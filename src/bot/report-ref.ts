import { createHash } from "node:crypto";
import type { Directory } from "../ports/directory";
import type { DirectoryUser, UserId } from "../domain/model";

/**
 * A direct report as an opaque reference bound to the manager: cards never carry user ids. It only
 * resolves among the clicker's own direct reports, so a forged or copied reference finds nobody.
 */
export function reportRef(managerId: UserId, reportId: UserId): string {
  return `r${createHash("sha256").update(`${managerId}|${reportId}`).digest("hex").slice(0, 24)}`;
}

export async function resolveReportRef(
  directory: Directory,
  managerId: UserId,
  ref: string,
): Promise<DirectoryUser | undefined> {
  const reports = await directory.getDirectReports(managerId);
  return reports.find((r) => reportRef(managerId, r.id) === ref);
}
