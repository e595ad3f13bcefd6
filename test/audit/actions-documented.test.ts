import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

/** The `AuditAction` union as written in the model: the trail's whole vocabulary. */
function vocabulary(): string[] {
  const source = read("src/domain/model/events.ts");
  const union = /export type AuditAction =([^;]*);/.exec(source)?.[1];
  assert.ok(union, "events.ts declares AuditAction");
  return [...union.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

/** The actions named in the first column of docs/audit.md's "What is audited" table. */
function documented(): string[] {
  const doc = read("docs/audit.md");
  const section = doc.slice(doc.indexOf("## What is audited"), doc.indexOf("### Answers and justification"));
  const rows = section.split("\n").filter((line) => /^\|\s*`/.test(line));
  assert.ok(rows.length > 0, "docs/audit.md has the table of actions");
  return rows.flatMap((row) => [...row.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** Every TypeScript source under src, but the file that declares the vocabulary. */
function sources(dir = path.join(ROOT, "src")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return name.endsWith(".ts") && !file.endsWith(path.join("model", "events.ts")) ? [file] : [];
  });
}

describe("docs/audit.md lists every audit action", () => {
  it("names each action of the vocabulary once, and nothing else", () => {
    const listed = documented();
    const twice = listed.filter((a, i) => listed.indexOf(a) !== i);
    assert.deepEqual(twice, [], "listed more than once");
    const known = vocabulary();
    assert.deepEqual(
      known.filter((a) => !listed.includes(a)),
      [],
      "in AuditAction but not in docs/audit.md",
    );
    assert.deepEqual(
      listed.filter((a) => !known.includes(a)),
      [],
      "in docs/audit.md but not in AuditAction",
    );
  });

  it("documents only actions some code writes", () => {
    const code = sources()
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    assert.deepEqual(
      vocabulary().filter((a) => !code.includes(`"${a}"`)),
      [],
      "declared and documented, but written nowhere",
    );
  });
});
