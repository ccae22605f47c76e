export { auditDataset } from "./audit.ts";
export { formatFindings, summaryLine, auditJson } from "./format.ts";
export { checkTimeAxis } from "./time.ts";
export { defaultAuditSplit } from "./shift.ts";
export {
  summarise,
  type AuditInput,
  type AuditOptions,
  type AuditSummary,
  type CheckId,
  type Finding,
  type Severity,
} from "./types.ts";
