import type { AuditEntry } from "../../domain/model";

export type AuditExportFormat = "csv" | "json";

/** The CSV columns, in order; `details` holds the entry's details as a JSON object. */
export const AUDIT_CSV_COLUMNS = [
  "id",
  "at",
  "actor",
  "action",
  "subject",
  "targetUserId",
  "packageId",
  "reason",
  "source",
  "details",
] as const;

/** The entries as a JSON array or as RFC 4180 CSV (CRLF line ends, header row first). */
export function exportAudit(entries: AuditEntry[], format: AuditExportFormat): string {
  if (format === "json") return `${JSON.stringify(entries, null, 2)}\n`;
  const rows = entries.map((entry) => AUDIT_CSV_COLUMNS.map((column) => csvValue(entry, column)));
  return [[...AUDIT_CSV_COLUMNS], ...rows].map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}

function csvValue(entry: AuditEntry, column: (typeof AUDIT_CSV_COLUMNS)[number]): string {
  if (column === "details") return entry.details === undefined ? "" : JSON.stringify(entry.details);
  return entry[column] ?? "";
}

/**
 * One CSV cell. A value a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return) gets a leading single quote; a value holding a comma, quote or line break is
 * quoted with its quotes doubled.
 */
export function csvCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}
