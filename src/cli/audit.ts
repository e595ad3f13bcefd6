/**
 * The audit trail for operators: `npm run audit -- [--user <id>] [--subject request:<id>]
 * [--package <id>] [--from ISO] [--to ISO] [--limit N] [--format csv|json] [--out file]`.
 * Reads the storage account named by STORAGE_CONNECTION_STRING; whoever holds that connection string
 * may read every entry, so there is no per-user check here. Exits 2 on bad arguments.
 */
import { writeFileSync } from "node:fs";
import { RestError } from "@azure/data-tables";
import { ConfigError, loadConfig } from "../config";
import { openCommandStorage } from "../composition/storage";
import type { AuditLog } from "../ports/stores";
import type { AuditChainStore } from "../ports/audit-chain";
import { CHAIN_COMMANDS, CHAIN_USAGE, type ChainCommand, runChainCommand } from "./audit-chain";
import {
  auditQueryProblem,
  exportAudit,
  readAudit,
  toInstant,
  type AuditExportFormat,
  type AuditFilter,
} from "../app/audit";

/** The operator may export more than a chat user sees at once. */
export const MAX_CLI_LIMIT = 100_000;

export const AUDIT_USAGE =
  "usage: npm run audit -- [--user <id>] [--subject <kind>:<id>] [--package <id>] [--from <ISO date>] " +
  "[--to <ISO date>] [--limit <1-100000>] [--format csv|json] [--out <file>]\n" +
  CHAIN_USAGE;

export interface AuditCommand {
  filter: AuditFilter;
  format: AuditExportFormat;
  out?: string;
}

export type ParsedAuditArgs =
  | { ok: true; command: AuditCommand }
  | { ok: false; help?: true; problems: string[] };

const FLAGS = ["user", "subject", "package", "from", "to", "limit", "format", "out"] as const;
type Flag = (typeof FLAGS)[number];

/** Reads the command line; every problem is listed, each naming its flag. */
export function parseAuditArgs(argv: string[]): ParsedAuditArgs {
  const values: Partial<Record<Flag, string>> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { ok: false, help: true, problems: [] };
    const match = /^--([a-z]+)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1] as Flag | undefined;
    if (!match || !name || !FLAGS.includes(name)) {
      problems.push(`unknown argument "${arg}"`);
      continue;
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || (match[2] === undefined && value.startsWith("--"))) {
      problems.push(`--${name} needs a value`);
      if (value?.startsWith("--")) i--;
      continue;
    }
    if (values[name] !== undefined) problems.push(`--${name} is given twice`);
    values[name] = value;
  }
  const format = values.format ?? "json";
  if (!isFormat(format)) problems.push(`--format "${format}" is not valid: use csv or json`);
  if (values.subject !== undefined && !/^[A-Za-z]+:.+$/.test(values.subject))
    problems.push(`--subject "${values.subject}" is not valid: use <kind>:<id>, e.g. request:req-123`);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = /^\d+$/.test(values.limit) ? Number(values.limit) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CLI_LIMIT)
      problems.push(`--limit "${values.limit}" is not valid: use a whole number from 1 to ${MAX_CLI_LIMIT}`);
  }
  const invalid = auditQueryProblem({ from: values.from, to: values.to });
  for (const p of invalid?.problems ?? []) problems.push(`--${p.field} ${p.message}`);
  if (problems.length > 0 || !isFormat(format)) return { ok: false, problems };
  const filter: AuditFilter = {};
  if (values.user !== undefined) filter.targetUserId = values.user;
  if (values.subject !== undefined) filter.subject = values.subject;
  if (values.package !== undefined) filter.packageId = values.package;
  if (values.from !== undefined) filter.from = toInstant(values.from);
  if (values.to !== undefined) filter.to = toInstant(values.to);
  if (limit !== undefined) filter.limit = limit;
  return { ok: true, command: { filter, format, ...(values.out ? { out: values.out } : {}) } };
}

const isFormat = (value: string): value is AuditExportFormat => value === "csv" || value === "json";

export interface AuditCliIo {
  /** The audit log to read; by default the table store named by the environment. */
  openLog?: () => AuditLog;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  writeFile?: (path: string, text: string) => void;
  /** The chain behind the trail (verify, anchors, purge); by default the table store's. */
  openChain?: () => AuditChainStore;
  /** The clock and retention of `anchors` and `purge`; by default the wall clock and AUDIT_RETENTION_DAYS. */
  now?: Date;
  retentionDays?: number;
  readFile?: (path: string) => string;
}

/** Runs the command; resolves to the exit code (0 done, 1 storage failure, 2 bad arguments). */
export async function runAuditCli(argv: string[], io: AuditCliIo): Promise<number> {
  if (CHAIN_COMMANDS.includes(argv[0] as ChainCommand))
    return chainCommand(argv[0] as ChainCommand, argv.slice(1), io);
  const parsed = parseAuditArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      io.stdout(`${AUDIT_USAGE}\n`);
      return 0;
    }
    io.stderr(`${parsed.problems.map((p) => `audit: ${p}`).join("\n")}\n${AUDIT_USAGE}\n`);
    return 2;
  }
  const { filter, format, out } = parsed.command;
  const opened = await (io.openLog
    ? { log: io.openLog(), close: async () => undefined }
    : openTableAuditLog());
  let entries;
  try {
    entries = await readAudit(opened.log, filter);
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) {
      io.stderr(
        "audit: the audit table does not exist in this storage account (has Access Desk run here?)\n",
      );
      return 1;
    }
    throw error;
  } finally {
    await opened.close();
  }
  const text = exportAudit(entries, format);
  if (out === undefined) io.stdout(text);
  else {
    (io.writeFile ?? ((file, data) => writeFileSync(file, data, "utf8")))(out, text);
    io.stderr(`audit: wrote ${entries.length} entr${entries.length === 1 ? "y" : "ies"} to ${out}\n`);
  }
  return 0;
}

async function chainCommand(command: ChainCommand, argv: string[], io: AuditCliIo): Promise<number> {
  let retentionDays = io.retentionDays;
  const opened = io.openChain
    ? { chain: io.openChain(), close: async () => undefined }
    : await (async () => {
        const config = loadConfig();
        retentionDays ??= config.auditRetentionDays;
        const storage = await openCommandStorage(config, { createTables: false });
        return { chain: storage.stores.audit, close: storage.close };
      })();
  try {
    return await runChainCommand(command, argv, {
      ...io,
      chain: opened.chain,
      now: io.now ?? new Date(),
      retentionDays: retentionDays ?? 2557,
    });
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) {
      io.stderr(
        "audit: the audit table does not exist in this storage account (has Access Desk run here?)\n",
      );
      return 1;
    }
    throw error;
  } finally {
    await opened.close();
  }
}

/** The audit trail of the configured storage (see openCommandStorage). */
async function openTableAuditLog(): Promise<{ log: AuditLog; close(): Promise<void> }> {
  const storage = await openCommandStorage(loadConfig(), { createTables: false });
  return { log: storage.stores.audit, close: storage.close };
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exitCode = 1;
    },
  );
}
