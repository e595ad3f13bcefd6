/**
 * Storage layout for operators: `npm run storage -- migrate [--dry-run]` moves rows written by an
 * earlier version into today's layout (docs/storage.md, "Migration"); `npm run storage -- status`
 * lists what the earlier layouts still hold. Works on the account named by
 * STORAGE_CONNECTION_STRING (locally the embedded Azurite, as the other commands). Exit codes: 0 done,
 * 1 storage or configuration failure, 2 bad arguments.
 */
import { ConfigError, loadConfig } from "../config";
import {
  MIGRATION_STEPS,
  MigrationStepError,
  openMigrationStorage,
  pendingMigration,
  runMigration,
  type MigrationContext,
} from "../composition/storage-migration";

export const STORAGE_USAGE =
  "usage: npm run storage -- migrate [--dry-run]   move rows of earlier layouts into today's (idempotent, resumable)\n" +
  "       npm run storage -- status                what earlier layouts still hold";

export interface StorageCliIo {
  /** The tables to work on; by default the configured account's. */
  open?: () => Promise<{ ctx: MigrationContext; close(): Promise<void> }>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Command = { kind: "migrate"; dryRun: boolean } | { kind: "status" } | { kind: "help" };

/** Reads the command line; every problem is named. */
export function parseStorageArgs(
  argv: string[],
): { ok: true; command: Command } | { ok: false; problems: string[] } {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help")
    return { ok: true, command: { kind: "help" } };
  const problems: string[] = [];
  if (verb === "migrate") {
    const unknown = rest.filter((a) => a !== "--dry-run");
    problems.push(...unknown.map((a) => `unknown argument "${a}" for migrate`));
    return problems.length > 0
      ? { ok: false, problems }
      : { ok: true, command: { kind: "migrate", dryRun: rest.includes("--dry-run") } };
  }
  if (verb === "status") {
    problems.push(...rest.map((a) => `unknown argument "${a}" for status`));
    return problems.length > 0 ? { ok: false, problems } : { ok: true, command: { kind: "status" } };
  }
  return { ok: false, problems: [`unknown command "${verb}": use migrate or status`] };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Runs the command; resolves to the exit code. */
export async function runStorageCli(argv: string[], io: StorageCliIo): Promise<number> {
  const parsed = parseStorageArgs(argv);
  if (!parsed.ok) {
    io.stderr(`${parsed.problems.map((p) => `storage: ${p}`).join("\n")}\n${STORAGE_USAGE}\n`);
    return 2;
  }
  const { command } = parsed;
  if (command.kind === "help") {
    io.stdout(
      `${STORAGE_USAGE}\n\nSteps, in order:\n${MIGRATION_STEPS.map((s) => `  ${s.name}: ${s.summary}`).join("\n")}\n`,
    );
    return 0;
  }
  let opened;
  try {
    opened = await (io.open ?? (() => openMigrationStorage(loadConfig())))();
  } catch (error) {
    io.stderr(`storage: ${error instanceof ConfigError ? error.message : describe(error)}\n`);
    return 1;
  }
  try {
    if (command.kind === "migrate" && !command.dryRun) {
      let total = 0;
      await runMigration(opened.ctx, ({ step, result }) => {
        total += result.moved;
        io.stdout(
          `${step.name}: moved ${result.moved}${result.left > 0 ? `, ${result.left} left` : ""}\n` +
            result.detail.map((line) => `  ${line}\n`).join(""),
        );
      });
      io.stdout(`migrate: done, ${plural(total, "row", "rows")} moved\n`);
      return 0;
    }
    const verb = command.kind === "status" ? "to migrate" : "would move";
    let total = 0;
    for (const { step, pending } of await pendingMigration(opened.ctx)) {
      total += pending.rows;
      io.stdout(
        `${step.name}: ${verb} ${pending.rows}\n` + pending.detail.map((line) => `  ${line}\n`).join(""),
      );
    }
    io.stdout(
      command.kind === "status"
        ? total === 0
          ? "status: nothing left in an earlier layout\n"
          : `status: ${plural(total, "row", "rows")} (or tables) to migrate: npm run storage -- migrate\n`
        : `migrate --dry-run: ${plural(total, "row", "rows")} would move, nothing written\n`,
    );
    return 0;
  } catch (error) {
    io.stderr(
      error instanceof MigrationStepError
        ? `storage: ${error.message}; what ran is kept, run the command again to resume\n`
        : `storage: ${describe(error)}\n`,
    );
    return 1;
  } finally {
    await opened.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) {
  runStorageCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
