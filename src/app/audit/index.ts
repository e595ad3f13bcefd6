export { queryAudit, auditQueryProblem, isIsoInstant, toInstant, MAX_AUDIT_QUERY_LIMIT } from "./query-audit";
export type { QueryAuditInput } from "./query-audit";
export { exportAudit, csvCell, AUDIT_CSV_COLUMNS, type AuditExportFormat } from "./export-audit";
export { readAudit, DEFAULT_AUDIT_LIMIT, MAX_AUDIT_SCAN, type AuditFilter } from "./read-audit";
export { verifyAudit, describeFinding, type VerifyResult, type VerifySummary } from "./verify-audit";
export { closeAuditDays, purgeAudit, DEFAULT_AUDIT_RETENTION_DAYS, type PurgeResult } from "./close-days";
