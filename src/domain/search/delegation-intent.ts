import { editDistance } from "./edit-distance";
import { tidyPerson, tidyQuery } from "./intent-text";

/** The audit and delegation phrases of docs/cards.md ("Audit", "Delegation"). */
export type AuditOrDelegationIntent =
  /** `audit <person or package> [last <n> days]`: which one the words name is decided by the answer. */
  | { kind: "audit"; query: string; days?: number }
  /** `delegate my approvals to <person> until <date>` (`until` as written). */
  | { kind: "delegate"; person: string; until?: string }
  | { kind: "stopDelegating" }
  | { kind: "delegations" };

const near = (word: string, target: string): boolean => {
  const w = word.toLowerCase();
  return w === target || editDistance(w, target, 1) <= 1;
};

const AUDIT = /^(\S+)\s+(?:(?:trail|log|history|entries)\s+)?(?:(?:of|for|on)\s+)?(.+)$/i;
const LAST_DAYS =
  /\s+(?:for\s+|over\s+|in\s+)?(?:the\s+)?(?:last|past)\s+(\d{1,5})\s+days?$|\s+for\s+(\d{1,5})\s+days?$/i;
const DELEGATE =
  /^(\S+)\s+(?:all\s+)?(?:my\s+)?(?:approvals?|approval requests|approving)\s+to\s+(.+?)(?:\s+(?:until|till|til|through|thru|to)\s+(.+))?$/i;
const STOP = /^(?:stop|end|finish|undo)\s+(?:my\s+)?(\S+)(?:\s+(?:my\s+)?approvals?)?$/i;
const LIST = /^(?:show\s+|list\s+)?(?:all\s+|the\s+|current\s+|active\s+|my\s+)*(\S+)$/i;
const NOT_SOMEONE_ELSE = /^(?:me|myself)$/i;

/** Reads an audit or delegation phrase from cleaned chat text; undefined when it is not one. */
export function parseAuditOrDelegation(cleaned: string): AuditOrDelegationIntent | undefined {
  const first = cleaned.split(" ")[0] ?? "";
  if (near(first, "audit") && first.toLowerCase() !== "audio") {
    let rest = cleaned;
    let days: number | undefined;
    const last = LAST_DAYS.exec(rest);
    if (last) {
      days = Number(last[1] ?? last[2]);
      rest = rest.slice(0, last.index);
    }
    const audit = AUDIT.exec(rest);
    const query = audit ? tidyQuery(audit[2]!) : "";
    if (!query) return undefined;
    return { kind: "audit", query, ...(days !== undefined ? { days } : {}) };
  }
  if (near(first, "delegate")) {
    const delegate = DELEGATE.exec(cleaned);
    if (!delegate) return undefined;
    const person = tidyPerson(delegate[2]!);
    if (!person || NOT_SOMEONE_ELSE.test(person)) return undefined;
    return { kind: "delegate", person, ...(delegate[3] ? { until: delegate[3].trim() } : {}) };
  }
  const stop = STOP.exec(cleaned);
  if (stop && (near(stop[1]!, "delegating") || near(stop[1]!, "delegation")))
    return { kind: "stopDelegating" };
  const list = LIST.exec(cleaned);
  if (list && near(list[1]!, "delegations")) return { kind: "delegations" };
  return undefined;
}
