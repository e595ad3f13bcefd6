/**
 * Operator commands on one assignment: `npm run access -- reprocess <assignment id>` retries every
 * failed grant now; `npm run access -- retry-removal <assignment id>` retries the revokes of ended
 * access. Whoever holds the storage connection string may run them (as for `npm run audit`): they
 * are audited as the system, from "cli:access". Exits 1 when refused, 2 on bad arguments.
 */
import { ConfigError, loadConfig } from "../config";
import { openCommandDeps } from "../composition/command-deps";
import type { AppDeps } from "../app/deps";
import { reprocessAssignment } from "../app/reprocess-assignment";
import { retryRemoval } from "../app/removal/retry-removal";
import type { Assignment } from "../domain/model";

export const ACCESS_USAGE = "usage: npm run access -- reprocess|retry-removal <assignment id>";

const SOURCE = "cli:access";

export type AccessCommand = { verb: "reprocess" | "retry-removal"; assignmentId: string };

export function parseAccessArgs(argv: string[]): AccessCommand | undefined {
  const [verb, assignmentId, ...rest] = argv;
  if (verb !== "reprocess" && verb !== "retry-removal") return undefined;
  if (!assignmentId || assignmentId.startsWith("-") || rest.length > 0) return undefined;
  return { verb, assignmentId };
}

/** One line per resource: what an operator needs to see whether it worked. */
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
