/**
 * Operator commands on one assignment: `npm run access -- reprocess <assignment id>` retries every
 * failed grant now; `npm run access -- retry-removal <assignment id>` retries the revokes of ended
 * access. Whoever holds the storage connection string may run them (as for `npm run audit`): they
 * are audited as the system, from "cli:access".
 *
 * The chat's admin verbs have twins here, run as the person named by `--as <user id>` and checked
 * against that person's catalog role like the chat phrase: `who-has <package> [--csv]`,
 * `pending <package>`, `assign <package> --to <user id> [--until <date> | --days <n>] [--reason
 * <text>]`, `remove <package> --from <user id> --reason <text>`, `sod-report`. A package is its id
 * or its name.
 *
 * Exits 1 when refused, 2 on bad arguments.
 */
import { ConfigError, loadConfig } from "../config";
import { openCommandDeps } from "../composition/command-deps";
import type { AppDeps } from "../app/deps";
import { reprocessAssignment } from "../app/reprocess-assignment";
import { retryRemoval } from "../app/removal/retry-removal";
import type { Assignment } from "../domain/model";
import { assignDirectly } from "../app/assign-directly";
import { removeFromPackage } from "../app/admin/remove-from-package";
import { exportHolders, pendingFor, resolveAdminPackage, whoHas } from "../app/queries/package-admin";
import { sodReport } from "../app/queries/sod-report";
import { auditTrail } from "../app/admin/audit-trail";
import { exportAudit, MAX_AUDIT_QUERY_LIMIT } from "../app/audit";
import { listDelegations } from "../app/delegation/list-delegations";
import type { AuditAbout } from "../ports/admin-read-models";

const SOURCE = "cli:access";

export { ACCESS_USAGE, parseAccessArgs, type AccessCommand } from "./access-args";
import { ACCESS_USAGE, parseAccessArgs, type AccessCommand } from "./access-args";

export function describeAssignment(a: Assignment): string[] {
  const removal = a.removal ? `, removal ${a.removal.status}` : "";
  return [
    `${a.id}: ${a.state}${removal} (user ${a.userId}, package ${a.packageId})`,
    ...a.resources.map(
      (r) => `  ${r.role.displayName}: ${r.status}${r.lastError ? ` (${r.lastError})` : ""}`,
    ),
  ];
}

/** Runs the command; the lines to print and the exit code. */
export async function runAccessCommand(
  deps: AppDeps,
  command: AccessCommand,
): Promise<{ code: number; lines: string[] }> {
  if (!("assignmentId" in command)) return runAdminCommand(deps, command);
  const input = { actorId: "system", assignmentId: command.assignmentId, source: SOURCE };
  const result =
    command.verb === "reprocess"
      ? await reprocessAssignment(deps, input).then((r) =>
          r.ok ? { ok: true as const, value: r.value.assignment } : r,
        )
      : await retryRemoval(deps, input);
  if (!result.ok) return { code: 1, lines: [`${result.error.code}: ${result.error.message}`] };
  const a = result.value ?? (await deps.assignments.get(command.assignmentId))?.value;
  return { code: 0, lines: a ? describeAssignment(a) : [] };
}

const refused = (error: { code: string; message: string }) => ({
  code: 1,
  lines: [`${error.code}: ${error.message}`],
});

/** The admin verbs, as the person `--as` names: the same queries, role checks and audit as in chat. */
async function runAdminCommand(
  deps: AppDeps,
  command: Exclude<AccessCommand, { verb: "reprocess" | "retry-removal" }>,
): Promise<{ code: number; lines: string[] }> {
  if (command.verb === "audit") return auditCommand(deps, command);
  if (command.verb === "delegations") {
    const listed = await listDelegations(deps, { actorId: command.as, source: SOURCE });
    if (!listed.ok) return refused(listed.error);
    return {
      code: 0,
      lines: [
        `${listed.value.delegations.length} delegation(s) in force`,
        ...listed.value.delegations.map(
          (d) => `  ${d.delegateId} decides for ${d.approverId} until ${d.until}`,
        ),
      ],
    };
  }
  if (command.verb === "sod-report") {
    const report = await sodReport(deps, { actorId: command.as, source: SOURCE });
    if (!report.ok) return refused(report.error);
    const { ctx, violations, groupNames } = report.value;
    const name = (id: string) => ctx.people.get(id)?.displayName ?? id;
    const pkg = (id: string) => ctx.index.package(id)?.name ?? id;
    return {
      code: 0,
      lines: [
        `${violations.length} separation of duties conflict(s) in ${report.value.catalogs.map((c) => c.name).join(", ")}`,
        ...violations.map((v) =>
          v.kind === "packages"
            ? `  ${v.catalogId}: ${name(v.userId)} (${v.userId}) holds ${pkg(v.packageId)} and ${pkg(v.otherPackageId)}`
            : `  ${v.catalogId}: ${name(v.userId)} (${v.userId}) holds ${pkg(v.packageId)} and is in ${groupNames.get(v.groupId) ?? v.groupId}`,
        ),
      ],
    };
  }
  const found = await resolveAdminPackage(deps, command.package);
  if (found.kind !== "one") {
    const which =
      found.kind === "several" ? `: several match (${found.packages.map((p) => p.id).join(", ")})` : "";
    return refused({
      code: "PACKAGE.NOT_FOUND",
      message: `No single package is "${command.package}"${which}.`,
    });
  }
  const query = { actorId: command.as, packageId: found.pkg.id, source: SOURCE };
  if (command.verb === "assign") {
    const assigned = await assignDirectly(deps, {
      actorId: command.as,
      userId: command.to,
      packageId: found.pkg.id,
      reason: command.reason ?? "Assigned directly by an administrator",
      source: SOURCE,
      duration: { until: command.until, days: command.days },
    });
    if (!assigned.ok) return refused(assigned.error);
    const request = (await deps.requests.get(assigned.value.requestId))?.value;
    const a = request?.assignmentId ? (await deps.assignments.get(request.assignmentId))?.value : undefined;
    return {
      code: 0,
      lines: [
        `Assigned ${found.pkg.name} to ${command.to} until ${a?.endAt ?? "no end"} (request ${assigned.value.requestId})`,
        ...(a ? describeAssignment(a) : []),
      ],
    };
  }
  if (command.verb === "remove") {
    const removed = await removeFromPackage(deps, {
      actorId: command.as,
      userId: command.from,
      packageId: found.pkg.id,
      reason: command.reason,
      source: SOURCE,
    });
    return removed.ok ? { code: 0, lines: describeAssignment(removed.value) } : refused(removed.error);
  }
  if (command.verb === "who-has") {
    if (command.csv) {
      const csv = await exportHolders(deps, query);
      return csv.ok ? { code: 0, lines: [csv.value.replace(/\r\n$/, "")] } : refused(csv.error);
    }
    const lines: string[] = [];
    for (let page = 0; ; page++) {
      const model = await whoHas(deps, { ...query, page });
      if (!model.ok) return refused(model.error);
      if (page === 0) lines.push(`${model.value.pkg.name}: ${model.value.total} active assignment(s)`);
      for (const { assignment: a, how } of model.value.rows) {
        const name = model.value.ctx.people.get(a.userId)?.displayName ?? a.userId;
        lines.push(`  ${name} (${a.userId}): ${a.state}, ${a.startAt} - ${a.endAt ?? "no end"}, ${how}`);
      }
      if ((page + 1) * model.value.pageSize >= model.value.total) break;
    }
    return { code: 0, lines };
  }
  const model = await pendingFor(deps, query);
  if (!model.ok) return refused(model.error);
  const { ctx, requests } = model.value;
  const name = (id: string) => ctx.people.get(id)?.displayName ?? id;
  return {
    code: 0,
    lines: [
      `${model.value.pkg.name}: ${requests.length} open request(s)`,
      ...requests.map((r) => {
        const stage = r.currentStage !== undefined ? r.stages[r.currentStage] : undefined;
        const waits =
          stage && r.state === "pendingApproval"
            ? `stage ${stage.index + 1}, ${stage.approvers.map(name).join(", ")} until ${stage.dueAt}`
            : r.state;
        return `  ${r.id} for ${name(r.targetUserId)}, submitted ${r.createdAt}: ${waits}`;
      }),
    ],
  };
}

/** `audit <user id | package>`: the trail as that person may read it, as lines or CSV (up to 1000 entries). */
async function auditCommand(
  deps: AppDeps,
  command: Extract<AccessCommand, { verb: "audit" }>,
): Promise<{ code: number; lines: string[] }> {
  let about: AuditAbout;
  if (await deps.directory.getUser(command.subject).catch(() => undefined))
    about = { kind: "person", userId: command.subject };
  else {
    const found = await resolveAdminPackage(deps, command.subject);
    if (found.kind !== "one")
      return refused({
        code: "PACKAGE.NOT_FOUND",
        message: `No user id or single package is "${command.subject}".`,
      });
    about = { kind: "package", packageId: found.pkg.id };
  }
  const trail = await auditTrail(deps, {
    actorId: command.as,
    about,
    ...(command.days !== undefined ? { days: command.days } : {}),
    source: SOURCE,
    limit: MAX_AUDIT_QUERY_LIMIT,
    csv: command.csv,
  });
  if (!trail.ok) return refused(trail.error);
  if (command.csv) return { code: 0, lines: [exportAudit(trail.value.entries, "csv").replace(/\r\n$/, "")] };
  return {
    code: 0,
    lines: [
      `${trail.value.name}: ${trail.value.entries.length} entr${trail.value.entries.length === 1 ? "y" : "ies"} (as ${trail.value.role})`,
      ...trail.value.entries.map((e) => {
        const by = e.details?.onBehalfOf ? `${e.actor} for ${e.details.onBehalfOf}` : e.actor;
        return `  ${e.at} ${e.action} by ${by}${e.targetUserId ? ` about ${e.targetUserId}` : ""}${e.reason ? `: ${e.reason}` : ""}`;
      }),
    ],
  };
}

async function main(argv: string[]): Promise<number> {
  const command = parseAccessArgs(argv);
  if (!command) {
    console.error(ACCESS_USAGE);
    return 2;
  }
  const { deps, close } = await openCommandDeps(loadConfig());
  try {
    const { code, lines } = await runAccessCommand(deps, command);
    for (const line of lines) (code === 0 ? console.log : console.error)(line);
    return code;
  } finally {
    await close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError) console.error(error.message);
      else console.error(error);
      process.exit(1);
    },
  );
}
