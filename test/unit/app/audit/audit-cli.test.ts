import { strict as assert } from "node:assert";
import { parseAuditArgs, runAuditCli } from "../../../../src/cli/audit";
import type { AuditLog } from "../../../../src/ports/stores";
import { seededLog } from "./support";

async function run(argv: string[], log?: AuditLog) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const audit = log ?? (await seededLog());
  const code = await runAuditCli(argv, {
    openLog: () => audit,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    writeFile: (file, text) => files.set(file, text),
  });
  return { code, stdout: out.join(""), stderr: err.join(""), files };
}

describe("npm run audit: arguments", () => {
  it("reads every filter, both as --flag value and --flag=value", () => {
    const parsed = parseAuditArgs([
      "--user",
      "alice",
      "--subject=request:req-1",
      "--package",
      "pkg-analyst",
      "--from",
      "2026-11-01",
      "--to=2026-11-23T12:00:00+01:00",
      "--limit",
      "5000",
      "--format",
      "csv",
      "--out",
      "audit.csv",
    ]);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.command, {
      filter: {
        targetUserId: "alice",
        subject: "request:req-1",
        packageId: "pkg-analyst",
        from: "2026-11-01T00:00:00.000Z",
        to: "2026-11-23T11:00:00.000Z",
        limit: 5000,
      },
      format: "csv",
      out: "audit.csv",
    });
  });

  it("defaults to JSON on stdout with no filter", () => {
    assert.deepEqual(parseAuditArgs([]), { ok: true, command: { filter: {}, format: "json" } });
  });

  const bad: [string, string[], RegExp][] = [
    ["an unknown flag", ["--actor", "x"], /unknown argument "--actor"/],
    ["a stray word", ["alice"], /unknown argument "alice"/],
    ["a flag without its value", ["--user"], /--user needs a value/],
    ["a flag followed by another flag", ["--user", "--limit", "3"], /--user needs a value/],
    ["a date that is not ISO", ["--from", "yesterday"], /--from "yesterday" is not an ISO-8601 date/],
    ["a day that does not exist", ["--to", "2026-02-30"], /--to "2026-02-30"/],
    ["a reversed range", ["--from", "2026-12-01", "--to", "2026-11-01"], /--to must be after from/],
    ["a limit that is not a number", ["--limit", "ten"], /--limit "ten" is not valid/],
    ["an unknown format", ["--format", "xml"], /--format "xml" is not valid: use csv or json/],
    ["a subject without its kind", ["--subject", "req-1"], /--subject "req-1" is not valid/],
    ["a flag given twice", ["--user", "a", "--user", "b"], /--user is given twice/],
  ];
  for (const [name, argv, message] of bad) {
    it(`exits 2 with usage on ${name}`, async () => {
      const result = await run(argv);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /usage: npm run audit/);
      assert.equal(result.stdout, "");
    });
  }

  it("lists every problem at once", async () => {
    const result = await run(["--bogus", "--from", "nope", "--format", "xml"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /"--bogus"[\s\S]*--format[\s\S]*--from/);
  });

  it("prints the usage and exits 0 on --help", async () => {
    const result = await run(["--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /usage: npm run audit/);
  });
});

describe("npm run audit: output", () => {
  it("prints a user's entries as JSON on stdout, with no actor check", async () => {
    const result = await run(["--user", "bob"]);
    assert.equal(result.code, 0);
    const entries = JSON.parse(result.stdout) as { subject: string }[];
    assert.deepEqual(
      entries.map((e) => e.subject),
      ["request:req-b2", "request:req-b1"],
    );
  });

  it("filters by package and writes CSV to the file named by --out", async () => {
    const result = await run(["--package", "pkg-analyst", "--format", "csv", "--out", "x.csv"]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /wrote 3 entries to x\.csv/);
    const lines = result.files.get("x.csv")!.trimEnd().split("\r\n");
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^id,at,actor,action,subject/);
  });

  it("applies the time range and the limit", async () => {
    const result = await run([
      "--from",
      "2026-11-23T10:02:00Z",
      "--to",
      "2026-11-23T10:05:00Z",
      "--limit",
      "2",
    ]);
    const entries = JSON.parse(result.stdout) as { subject: string }[];
    assert.deepEqual(
      entries.map((e) => e.subject),
      ["request:req-b2", "request:req-b1"],
    );
  });
});
