import { editDistance } from "./edit-distance";
import { tidyPerson, tidyQuery } from "./intent-text";
import { parseAuditOrDelegation, type AuditOrDelegationIntent } from "./delegation-intent";

/** What an administrator asks for in chat (the verbs of docs/cards.md, "Administration"). */
export type AdminIntent =
  | { kind: "whoHas"; query: string }
  | { kind: "pending"; query: string }
  | {
      kind: "assign";
      query: string;
      person: string;
      /** "until <date>" as written, or "for <n> days". */
      until?: string;
      days?: number;
      reason?: string;
    }
  | { kind: "removeFrom"; person: string; query: string; reason?: string }
  | { kind: "sodReport" }
  | { kind: "link"; query: string }
  | AuditOrDelegationIntent;

/** The first word may carry one typo ("asign", "remvoe", "pendng"). */
function verbIs(word: string, ...verbs: string[]): boolean {
  const w = word.toLowerCase();
  return verbs.some((v) => w === v || (v.length >= 5 && editDistance(w, v, 1) <= 1));
}

const WHO_HAS =
  /^(?:who(?:'s|s)?\s+(?:has|hsa|ahs|hs|haz|have|holds|got|is in)|(?:list\s+|show\s+)?(?:the\s+)?(?:holders|assignments|members)\s+(?:of|for|in|to))\s+(.+)$/i;
const PENDING = /^(?:show\s+|list\s+)?(\S+)\s+(?:(?:requests?|approvals?)\s+)?(?:for|of|to|on|in)?\s*(.+)$/i;
const ASSIGN = /^(\S+)\s+(.+?)\s+to\s+(.+)$/i;
const UNTIL = /\s+(?:until|till|til|through|thru|ending)\s+(.+)$/i;
const FOR_DAYS = /\s+for\s+(\d{1,4})\s+days?$/i;
const REASON = /\s+(?:because|reason:?)\s+(.+)$/i;
const REMOVE = /^(\S+)\s+(.+?)\s+(?:from|off)\s+(.+)$/i;
const SOD_REPORT =
  /^(?:show\s+|run\s+|list\s+)?(?:the\s+|a\s+)?(?:separation|segregation|seperation|separtion) of dut(?:y|ies)(?:\s+(?:report|conflicts|violations))?$|^(?:show\s+|run\s+)?(?:the\s+)?sod(?:\s+(?:report|conflicts|violations))?$/i;
const LINK =
  /^(?:(?:get|give me|share|copy|show)\s+)?(?:the\s+|a\s+)?(?:request\s+)?(?:link|lnik|deep link)\s+(?:for|to|of)\s+(.+)$/i;
const NOT_SOMEONE_ELSE = /^(?:me|myself|my\s+.*|our\s+.*)$/i;

/**
 * Reads an admin phrase from already cleaned chat text; undefined when it is not one. "pending
 * requests" and "pending approvals" alone stay the person's own lists (read before this).
 */
export function parseAdminIntent(cleaned: string): AdminIntent | undefined {
  const auditOrDelegation = parseAuditOrDelegation(cleaned);
  if (auditOrDelegation) return auditOrDelegation;
  if (SOD_REPORT.test(cleaned)) return { kind: "sodReport" };
  const link = LINK.exec(cleaned);
  if (link) {
    const query = tidyQuery(link[1]!);
    if (query) return { kind: "link", query };
  }
  const whoHas = WHO_HAS.exec(cleaned);
  if (whoHas) {
    const query = tidyQuery(whoHas[1]!);
    return query ? { kind: "whoHas", query } : undefined;
  }
  const pending = PENDING.exec(cleaned);
  if (pending && verbIs(pending[1]!, "pending", "open")) {
    const query = tidyQuery(pending[2]!);
    if (query && !/^(?:requests?|approvals?|reviews?)$/i.test(query)) return { kind: "pending", query };
  }
  const first = cleaned.split(" ")[0] ?? "";
  if (verbIs(first, "assign")) {
    let rest = cleaned;
    let reason: string | undefined;
    const why = REASON.exec(rest);
    if (why) {
      reason = why[1]!.trim();
      rest = rest.slice(0, why.index);
    }
    let until: string | undefined;
    let days: number | undefined;
    const forDays = FOR_DAYS.exec(rest);
    const untilMatch = forDays ? undefined : UNTIL.exec(rest);
    if (forDays) {
      days = Number(forDays[1]);
      rest = rest.slice(0, forDays.index);
    } else if (untilMatch) {
      until = untilMatch[1]!.trim();
      rest = rest.slice(0, untilMatch.index);
    }
    const assign = ASSIGN.exec(rest);
    if (!assign) return undefined;
    const query = tidyQuery(assign[2]!);
    const person = tidyPerson(assign[3]!);
    if (!query || !person || NOT_SOMEONE_ELSE.test(person)) return undefined;
    return {
      kind: "assign",
      query,
      person,
      ...(until !== undefined ? { until } : {}),
      ...(days !== undefined ? { days } : {}),
      ...(reason ? { reason } : {}),
    };
  }
  if (verbIs(first, "remove", "revoke")) {
    let rest = cleaned;
    let reason: string | undefined;
    const why = REASON.exec(rest);
    if (why) {
      reason = why[1]!.trim();
      rest = rest.slice(0, why.index);
    }
    const remove = REMOVE.exec(rest);
    if (!remove) return undefined;
    const person = tidyPerson(remove[2]!);
    const query = tidyQuery(remove[3]!);
    if (!query || !person || NOT_SOMEONE_ELSE.test(person)) return undefined;
    return { kind: "removeFrom", person, query, ...(reason ? { reason } : {}) };
  }
  return undefined;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * "2027-03-31", "31 March 2027", "March 31, 2027" -> the end of that day (UTC) as an ISO instant;
 * undefined for anything else (no year, no such day).
 */
export function parseEndDate(text: string): string | undefined {
  const t = text.trim().replace(/,/g, " ").replace(/\s+/g, " ");
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{4})$/i.exec(t);
  const monthFirst = /^([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/i.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dayFirst) [y, m, d] = [Number(dayFirst[3]), month(dayFirst[2]!), Number(dayFirst[1])];
  else if (monthFirst) [y, m, d] = [Number(monthFirst[3]), month(monthFirst[1]!), Number(monthFirst[2])];
  else return undefined;
  if (!m) return undefined;
  const at = new Date(Date.UTC(y, m - 1, d, 23, 59, 59));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return undefined;
  return at.toISOString();
}

function month(name: string): number {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 || (name.length > 3 && !/^[a-z]+$/i.test(name)) ? 0 : i + 1;
}
