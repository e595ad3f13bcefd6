/** The arguments of `npm run access`: the usage text and the parse into one command. */
export const ACCESS_USAGE = [
  "usage: npm run access -- reprocess|retry-removal <assignment id>",
  "       npm run access -- who-has <package> [--csv] --as <user id>",
  "       npm run access -- pending <package> --as <user id>",
  "       npm run access -- assign <package> --to <user id> [--until <date> | --days <n>] [--reason <text>] --as <user id>",
  "       npm run access -- remove <package> --from <user id> --reason <text> --as <user id>",
  "       npm run access -- sod-report --as <user id>",
  "       npm run access -- audit <user id | package> [--days <n>] [--csv] --as <user id>",
  "       npm run access -- delegations --as <user id>",
].join("\n");

export type AccessCommand =
  | { verb: "reprocess" | "retry-removal"; assignmentId: string }
  | { verb: "who-has"; package: string; as: string; csv: boolean }
  | { verb: "pending"; package: string; as: string }
  | {
      verb: "assign";
      package: string;
      to: string;
      as: string;
      until?: string;
      days?: number;
      reason?: string;
    }
  | { verb: "remove"; package: string; from: string; reason: string; as: string }
  | { verb: "sod-report"; as: string }
  | { verb: "audit"; subject: string; days?: number; csv: boolean; as: string }
  | { verb: "delegations"; as: string };

/** `--name value` options and the words before them. */
function split(argv: string[]): { words: string[]; options: Map<string, string | true> } | undefined {
  const words: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--csv") options.set("csv", true);
    else if (arg.startsWith("--")) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) return undefined;
      options.set(arg.slice(2), value);
      i++;
    } else words.push(arg);
  }
  return { words, options };
}

export function parseAccessArgs(argv: string[]): AccessCommand | undefined {
  const [verb, assignmentId, ...rest] = argv;
  if (verb === "reprocess" || verb === "retry-removal") {
    if (!assignmentId || assignmentId.startsWith("-") || rest.length > 0) return undefined;
    return { verb, assignmentId };
  }
  const parsed = split(argv.slice(1));
  if (!parsed) return undefined;
  const as = parsed.options.get("as");
  const pkg = parsed.words.join(" ").trim();
  if (verb === "sod-report" && typeof as === "string" && !pkg && parsed.options.size === 1)
    return { verb, as };
  if (verb === "delegations" && typeof as === "string" && !pkg && parsed.options.size === 1)
    return { verb, as };
  if (verb === "audit" && typeof as === "string" && pkg) {
    const days = parsed.options.get("days");
    if (![...parsed.options.keys()].every((k) => ["as", "csv", "days"].includes(k))) return undefined;
    if (days !== undefined && (typeof days !== "string" || !/^\d{1,4}$/.test(days))) return undefined;
    return {
      verb,
      subject: pkg,
      ...(typeof days === "string" ? { days: Number(days) } : {}),
      csv: parsed.options.get("csv") === true,
      as,
    };
  }
  if (typeof as !== "string" || !pkg) return undefined;
  const known = (names: string[]) => [...parsed.options.keys()].every((k) => names.includes(k));
  if (verb === "who-has" && known(["as", "csv"]))
    return { verb, package: pkg, as, csv: parsed.options.get("csv") === true };
  if (verb === "pending" && known(["as"])) return { verb, package: pkg, as };
  const text = (name: string) => {
    const value = parsed.options.get(name);
    return typeof value === "string" ? value : undefined;
  };
  if (verb === "assign" && known(["as", "to", "until", "days", "reason"])) {
    const to = text("to");
    const days = text("days");
    if (!to || (days !== undefined && !/^\d{1,4}$/.test(days)) || (days && text("until"))) return undefined;
    return {
      verb,
      package: pkg,
      to,
      ...(text("until") ? { until: text("until") } : {}),
      ...(days ? { days: Number(days) } : {}),
      ...(text("reason") ? { reason: text("reason") } : {}),
      as,
    };
  }
  if (verb === "remove" && known(["as", "from", "reason"])) {
    const from = text("from");
    const reason = text("reason");
    return from && reason ? { verb, package: pkg, from, reason, as } : undefined;
  }
  return undefined;
}

/** One line per resource: what an operator needs to see whether it worked. */
