// The audit log as CSV, spreadsheet-safe through the same helpers as the phones export
// (formula guard, quoting, BOM, CRLF: lib/import/csv-export.ts).
import { csvLine, type CsvSeparator } from "../import/csv-export";
import { AUDIT_ACTIONS, isAuditAction } from "./events";

export const AUDIT_CSV_HEADER = [
  "Time (UTC)",
  "User",
  "Action",
  "Action code",
  "Target type",
  "Target id",
  "Summary",
  "Client address",
] as const;

export type AuditCsvRow = {
  createdAt: Date;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: string;
  ipAddress: string | null;
};

export function auditCsvLine(e: AuditCsvRow, separator: CsvSeparator = ","): string {
  const label = isAuditAction(e.action) ? AUDIT_ACTIONS[e.action] : e.action;
  return csvLine(
    [e.createdAt.toISOString(), e.actorEmail, label, e.action, e.targetType, e.targetId, e.summary, e.ipAddress],
    separator,
  );
}

export function auditExportFileName(now = new Date()): string {
  return `audit-${now.toISOString().slice(0, 10)}.csv`;
}
