import { strict as assert } from "node:assert";
import { AUDIT_CSV_COLUMNS, csvCell, exportAudit } from "../../../../src/app/audit";
import type { AuditEntry } from "../../../../src/domain/model";

const full: AuditEntry = {
  id: "aud-1",
  at: "2026-11-23T10:00:00.000Z",
  actor: "mark",
  action: "stage.approved",
  subject: "request:req-1",
  targetUserId: "alice",
  packageId: "pkg-analyst",
  reason: 'Needs "BI", for Q4\nreporting',
  source: "card:approval",
  details: { stage: "1" },
};
const bare: AuditEntry = {
  id: "aud-2",
  at: "2026-11-23T09:00:00.000Z",
  actor: "system",
  action: "request.expired",
  subject: "request:req-2",
  source: "scheduler",
};

/** Splits RFC 4180 text into rows of cells, honouring quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      rows.push([...row, cell]);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe("exportAudit", () => {
  it("writes a header row and one CRLF-terminated row per entry", () => {
    const csv = exportAudit([full, bare], "csv");
    assert.ok(csv.endsWith("\r\n"));
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], [...AUDIT_CSV_COLUMNS]);
    assert.equal(rows.length, 3);
  });

  it("round-trips quotes, commas and line breaks through CSV quoting", () => {
    const [, row] = parseCsv(exportAudit([full], "csv"));
    assert.equal(row![AUDIT_CSV_COLUMNS.indexOf("reason")], full.reason);
    assert.equal(row![AUDIT_CSV_COLUMNS.indexOf("details")], '{"stage":"1"}');
  });

  it("leaves absent fields empty", () => {
    const [, row] = parseCsv(exportAudit([bare], "csv"));
    assert.deepEqual(row, [
      "aud-2",
      bare.at,
      "system",
      "request.expired",
      "request:req-2",
      "",
      "",
      "",
      "scheduler",
      "",
    ]);
  });

  it("writes only the header for no entries", () => {
    assert.equal(exportAudit([], "csv"), `${AUDIT_CSV_COLUMNS.join(",")}\r\n`);
  });

  const cells: [string, string, string][] = [
    ["a plain value as is", "request:req-1", "request:req-1"],
    ["a value with a comma in quotes", "a,b", '"a,b"'],
    ["a quote doubled inside quotes", 'say "hi"', '"say ""hi"""'],
    ["a line break in quotes", "one\ntwo", '"one\ntwo"'],
    ["a formula starting with = behind a single quote", '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["a value starting with + behind a single quote", "+1", "'+1"],
    ["a value starting with - behind a single quote", "-2+3", "'-2+3"],
    ["a value starting with @ behind a single quote", "@SUM(A1)", "'@SUM(A1)"],
    ["a value starting with a tab behind a single quote", "\tx", "'\tx"],
    ["an = later in the value as is", "a=b", "a=b"],
  ];
  for (const [name, value, expected] of cells) {
    it(`writes ${name}`, () => assert.equal(csvCell(value), expected));
  }

  it("neutralises a formula in a reason an attacker typed", () => {
    const csv = exportAudit([{ ...bare, reason: "=cmd|' /C calc'!A0" }], "csv");
    const [, row] = parseCsv(csv);
    assert.equal(row![AUDIT_CSV_COLUMNS.indexOf("reason")], "'=cmd|' /C calc'!A0");
  });

  it("writes JSON as an array that parses back to the entries", () => {
    const json = exportAudit([full, bare], "json");
    assert.deepEqual(JSON.parse(json), [full, bare]);
    assert.equal(exportAudit([], "json").trim(), "[]");
  });
});
