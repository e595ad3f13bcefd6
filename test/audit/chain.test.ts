import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { MemoryAuditLog } from "../../src/adapters/memory/audit-log";
import { closeAuditDays, purgeAudit, verifyAudit } from "../../src/app/audit";
import { canonicalJson } from "../../src/domain/audit/chain";
import { sha256Hex } from "../../src/domain/audit/sha256";
import { auditedAnswers } from "../../src/domain/audit/submitted";
import type { AuditEntry } from "../../src/domain/model";
import { AuditConflictError } from "../../src/ports/audit-chain";

const entry = (id: string, at: string): AuditEntry => ({
  id,
  at,
  actor: "user-ann",
  action: "request.submitted",
  subject: `request:${id}`,
  source: "test",
});

describe("the audit chain's pure parts and the memory twin", () => {
  it("hashes like node:crypto at every padding boundary and beyond ASCII", () => {
    for (const text of [
      "",
      "abc",
      "a".repeat(55),
      "a".repeat(56),
      "a".repeat(64),
      "x".repeat(1000),
      "Zoë 🙂 für",
    ])
      assert.equal(sha256Hex(text), createHash("sha256").update(text, "utf8").digest("hex"));
  });

  it("writes one text per meaning, whatever the key order", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, "x"], c: undefined } }), '{"a":{"d":[1,"x"]},"b":1}');
  });

  it("caps the answers a request.submitted entry keeps", () => {
    const answers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i}`, "y".repeat(3000)]));
    const kept = auditedAnswers(answers);
    assert.ok(Object.values(kept).join("").length < 13_000);
    assert.match(kept.q0!, /\[cut: 3000 characters\]$/);
  });

  it("chains, refuses another entry under a stored id, closes, purges and still verifies in memory", async () => {
    const log = new MemoryAuditLog();
    const day1 = [entry("a1", "2026-11-23T10:00:00.000Z"), entry("a2", "2026-11-23T11:00:00.000Z")];
    await log.append(day1);
    await log.append([day1[0]!, entry("b1", "2026-11-24T10:00:00.000Z")]);
    await assert.rejects(log.append([{ ...day1[1]!, actor: "user-eve" }]), AuditConflictError);
    assert.equal((await closeAuditDays(log, new Date("2026-11-25T02:00:00Z"))).anchored.length, 2);
    await log.append([entry("late", "2026-11-23T12:00:00.000Z")]);
    const [chains] = await log.readChains("2026-11-25");
    assert.equal(chains?.rows[0]?.entry.id, "late");
    assert.equal((await verifyAudit(log)).ok, true);
    assert.deepEqual(await purgeAudit(log, new Date("2026-11-26T02:00:00Z"), 2), {
      days: ["2026-11-23"],
      entries: 2,
    });
    const result = await verifyAudit(log);
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});
