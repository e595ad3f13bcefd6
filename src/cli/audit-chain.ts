/**
 * `npm run audit -- verify [--from <date>] [--anchors <file>]`, `anchors [--from <date>] [--out <file>]`
 * and `purge [--retention-days N]`: the chain behind the audit trail, for operators (docs/audit.md).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { closeAuditDays, describeFinding, purgeAudit, verifyAudit } from "../app/audit";
import type { AuditChainStore } from "../ports/audit-chain";

export const CHAIN_COMMANDS = ["verify", "anchors", "purge"] as const;
export type ChainCommand = (typeof CHAIN_COMMANDS)[number];

export const CHAIN_USAGE =
  "       npm run audit -- verify [--from <YYYY-MM-DD>] [--anchors <exported anchors file>]\n" +
  "       npm run audit -- anchors [--from <YYYY-MM-DD>] [--out <file>]\n" +
  "       npm run audit -- purge [--retention-days <days>]";

export interface ChainCliIo {
  chain: AuditChainStore;
  now: Date;
  retentionDays: number;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile?: (path: string) => string;
  writeFile?: (path: string, text: string) => void;
}

const FLAGS: Record<ChainCommand, string[]> = {
  verify: ["from", "anchors"],
  anchors: ["from", "out"],
  purge: ["retention-days"],
};

/** Flags of a chain command; problems name the flag. */
export function parseChainArgs(
  command: ChainCommand,
  argv: string[],
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]!);
    const name = match?.[1];
    if (!match || !name || !FLAGS[command].includes(name)) {
      problems.push(`unknown argument "${argv[i]}" for ${command}`);
      continue;
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "") problems.push(`--${name} needs a value`);
    else values[name] = value;
  }
  const from = values.from;
  if (
    from !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(from) || new Date(`${from}T00:00:00Z`).toISOString().slice(0, 10) !== from)
  )
    problems.push(`--from "${from}" is not valid: use a day, YYYY-MM-DD`);
  const days = values["retention-days"];
  if (days !== undefined && !/^[1-9]\d{0,4}$/.test(days))
    problems.push(`--retention-days "${days}" is not valid: use a whole number of days from 1`);
  return { values, problems };
}

/** Runs a chain command: 0 done (intact), 1 tampering found or storage failure, 2 bad arguments. */
export async function runChainCommand(
  command: ChainCommand,
  argv: string[],
  io: ChainCliIo,
): Promise<number> {
  const { values, problems } = parseChainArgs(command, argv);
  if (problems.length > 0) {
    io.stderr(`${problems.map((p) => `audit: ${p}`).join("\n")}\n${CHAIN_USAGE}\n`);
    return 2;
  }
  if (command === "verify") {
    const kept =
      values.anchors !== undefined ? readKept((io.readFile ?? readText)(values.anchors)) : undefined;
    const result = await verifyAudit(io.chain, {
      ...(values.from ? { fromDay: values.from } : {}),
      ...(kept ? { kept } : {}),
    });
    const s = result.summary;
    const counted = `${s.days} days, ${s.entries} entries, ${s.anchors} anchors (${s.purgedDays} purged days), ${s.copies} query copies`;
    if (!result.ok) {
      io.stderr(
        `audit: the trail is NOT intact: ${describeFinding(result.finding)}\naudit: checked ${counted}\n`,
      );
      return 1;
    }
    io.stdout(
      `audit: the trail is intact: ${counted}${kept ? `, ${kept.length} exported anchors matched` : ""}\n`,
    );
    return 0;
  }
  if (command === "anchors") {
    // Anchors of days closed by now (the sweep may not have run yet).
    await closeAuditDays(io.chain, io.now);
    const anchors = (await io.chain.anchors()).filter(
      (a) => values.from === undefined || a.day >= values.from,
    );
    const text =
      anchors.map((a) => `${a.day} ${a.seq} ${a.hash}`).join("\n") + (anchors.length > 0 ? "\n" : "");
    if (values.out === undefined) io.stdout(text);
    else {
      (io.writeFile ?? ((f, t) => writeFileSync(f, t, "utf8")))(values.out, text);
      io.stderr(`audit: wrote ${anchors.length} anchors to ${values.out}\n`);
    }
    return 0;
  }
  const retention =
    values["retention-days"] !== undefined ? Number(values["retention-days"]) : io.retentionDays;
  const purged = await purgeAudit(io.chain, io.now, retention);
  io.stdout(
    `audit: purged ${purged.days.length} days (${purged.entries} entries) older than ${retention} days; their anchors are kept\n`,
  );
  return 0;
}

const readText = (path: string): string => readFileSync(path, "utf8");

/** Lines `<day> <seq> <hash>` as `anchors` writes them. */
function readKept(text: string): { day: string; hash: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 3 && /^\d{4}-\d{2}-\d{2}$/.test(parts[0]!))
    .map(([day, , hash]) => ({ day: day!, hash: hash! }));
}
