import type { AuditEntry } from "../../../../src/domain/model";
import { MemoryAuditLog, MemoryGovernanceStore } from "../../../../src/adapters/memory";
import { accessPackage, catalog, config } from "../../domain/support/fixtures";

/** Finance (owned by olivia) holds pkg-analyst; HR (owned by hank) holds pkg-payroll. */
export const governance = () =>
  new MemoryGovernanceStore(
    config({
      catalogs: [catalog(), catalog({ id: "cat-hr", name: "HR", owners: ["hank"] })],
      packages: [accessPackage(), accessPackage({ id: "pkg-payroll", catalogId: "cat-hr", name: "Payroll" })],
    }),
  );

let seq = 0;
/** An entry `minutes` after 10:00 on 2026-11-23. */
export function entry(minutes: number, patch: Partial<AuditEntry> = {}): AuditEntry {
  seq += 1;
  return {
    id: `aud-${String(seq).padStart(4, "0")}`,
    at: new Date(Date.parse("2026-11-23T10:00:00Z") + minutes * 60_000).toISOString(),
    actor: "system",
    action: "request.submitted",
    subject: "request:req-1",
    source: "chat:command",
    ...patch,
  };
}

/** alice and bob each have entries in both packages; one config change has no user. */
export async function seededLog(): Promise<MemoryAuditLog> {
  const log = new MemoryAuditLog();
  await log.append([
    entry(1, { targetUserId: "alice", packageId: "pkg-analyst", subject: "request:req-a1" }),
    entry(2, { targetUserId: "alice", packageId: "pkg-payroll", subject: "request:req-a2" }),
    entry(3, { targetUserId: "bob", packageId: "pkg-analyst", subject: "request:req-b1" }),
    entry(4, { targetUserId: "bob", packageId: "pkg-payroll", subject: "request:req-b2" }),
    entry(5, { action: "config.changed", packageId: "pkg-analyst", subject: "package:pkg-analyst" }),
  ]);
  return log;
}
