import { parseAdminIntent, type AdminIntent } from "./admin-intent";
import { cleanChatText, extractPeriod, tidyPerson, tidyQuery } from "./intent-text";

/** What a chat message asks for, decided by fixed rules so the same words always mean the same thing. */
export type Intent =
  | { kind: "request"; query: string }
  | { kind: "browse" }
  | { kind: "sameAs"; person: string }
  | { kind: "myRequests" }
  | { kind: "myAccess" }
  | { kind: "myApprovals" }
  | { kind: "myReviews" }
  | { kind: "help" }
  | { kind: "cancel"; query?: string }
  | { kind: "onBehalf"; person: string; query: string }
  | { kind: "invite"; email: string; query: string }
  | { kind: "reviewResults"; query: string; period?: string }
  | { kind: "greeting" }
  | { kind: "admin"; admin: AdminIntent }
  | { kind: "unknown"; text: string };

const HELP =
  /^(help|\?|commands|menu|what can you do|what do you do|how does (this|it) work|how do i use (this|you)|help me)$/i;
const CANCEL = /^(cancel|withdraw|retract)\b\s*(.*)$/i;
const NEVER_MIND = /^(never ?mind|forget it|stop)$/i;
const REVIEW_RESULTS =
  /^(?:show\s+)?(?:the\s+)?(?:access\s+)?(?:review results?|results? of (?:the\s+)?(?:access\s+)?reviews?)\s*(?:for|of|on)?\s*(.*)$/i;
const MY_APPROVALS = [
  /^(?:show\s+|list\s+|see\s+)?(?:my\s+|pending\s+|open\s+)*approvals?$/i,
  /\b(?:need|have|got) to approve\b/i,
  /\bwaiting (?:on|for) (?:me|my approval)\b/i,
  /\bapproval (?:queue|inbox)\b/i,
  /^(?:show\s+|send\s+)?(?:me\s+)?(?:my\s+|the\s+)?(?:approvals?\s+)?digest$/i,
];
const MY_REVIEWS = [
  /^(?:show\s+|list\s+|see\s+)?(?:my\s+|pending\s+|open\s+)*(?:access\s+)?reviews?$/i,
  /\b(?:need|have|got) to review\b/i,
];
const MY_REQUESTS = [
  /\bmy (?:access\s+)?requests?\b/i,
  /\bstatus of my\b/i,
  /\bwhat (?:have|did) i request(?:ed)?\b/i,
  /^(?:show\s+|list\s+)?(?:pending|open) requests$/i,
];
const MY_ACCESS = [
  /\bmy (?:current\s+)?(?:access|assignments|access packages|packages|permissions)\b/i,
  /\bwhat (?:access\s+)?do i (?:have|hold)\b/i,
  /\bwhat have i got\b/i,
];
const SAME_AS = [
  /\bsame (?:access|permissions|rights|packages)?\s*(?:as|like)\s+(.+)$/i,
  /\b(?:need|want|get|have|give me|like) what (.+?) (?:has|have|got|gets)\b/i,
  /\bcopy (?:the\s+)?(?:access|permissions) (?:of|from)\s+(.+)$/i,
  /\b(?:access|permissions) like\s+(.+)$/i,
];
const BROWSE = [
  /\b(?:what|which)(?: access| packages| things)? (?:can|could|may) i (?:request|ask for|get|apply for)$/i,
  /^(?:show|list|browse|see|view)?\s*(?:me\s+)?(?:the\s+|all\s+)?(?:catalogs?|(?:access\s+)?packages|everything|available (?:access|packages))$/i,
  /\bwhat(?:'s| is) (?:there|available)\b/i,
  /^browse\b/i,
];
// "invite tomas@fabrikam.com to ERP Project": a sponsor brings in a partner (typos of "invite" too).
const INVITE =
  /^(?:invite|invit|invte|inivte|invitte|inviet|bring in|add)\s+(?:(?:guest|partner|user)\s+)?<?([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+?)>?\s+(?:to|into|for|on)\s+(.+)$/i;
// "request X for Fred" is on behalf of someone only when the "for" part looks like a person.
const ON_BEHALF =
  /^(?:please\s+)?(?:request|get|order|ask for)\s+(.+?)\s+(?:(on behalf of)\s+(.+)|for\s+(.+))$/i;
const REQUEST = [
  /^(?:i\s+|i'd\s+|id\s+)?(?:really\s+)?(?:need|want|require|would like|like)\s+(?:to\s+(?:get|have|request|use|access)\s+)?(.*)$/i,
  /^(?:request|order|get me|give me|grant me|can i (?:get|have|request|access)|could i (?:get|have|request)|may i (?:get|have|request)|how (?:do|can) i (?:get|request)|apply for|add me to|sign me up for|i(?:'m| am) requesting)\s+(.*)$/i,
  /^(?:access to|access for)\s+(.+)$/i,
];

/** Reads a chat message; case, punctuation, greetings and polite filler do not change the outcome. */
export function parseIntent(text: string): Intent {
  const { cleaned, greeted } = cleanChatText(text);
  if (cleaned === "") return greeted ? { kind: "greeting" } : { kind: "unknown", text: text.trim() };
  if (HELP.test(cleaned)) return { kind: "help" };

  const cancel = CANCEL.exec(cleaned);
  if (cancel) {
    const query = tidyQuery(
      cancel[2]!.replace(/^(?:my\s+)?(?:requests?|access request)?\s*(?:for|to)?\s*/i, ""),
    );
    return query ? { kind: "cancel", query } : { kind: "cancel" };
  }
  if (NEVER_MIND.test(cleaned)) return { kind: "cancel" };

  const results = REVIEW_RESULTS.exec(cleaned);
  if (results) {
    const { rest, period } = extractPeriod(results[1]!);
    const query = tidyQuery(rest);
    return period ? { kind: "reviewResults", query, period } : { kind: "reviewResults", query };
  }
  if (MY_APPROVALS.some((re) => re.test(cleaned))) return { kind: "myApprovals" };
  if (MY_REVIEWS.some((re) => re.test(cleaned))) return { kind: "myReviews" };
  if (MY_REQUESTS.some((re) => re.test(cleaned))) return { kind: "myRequests" };
  if (MY_ACCESS.some((re) => re.test(cleaned))) return { kind: "myAccess" };
  const admin = parseAdminIntent(cleaned);
  if (admin) return { kind: "admin", admin };

  for (const re of SAME_AS) {
    const match = re.exec(cleaned);
    const person = match ? tidyPerson(match[1]!) : "";
    if (person) return { kind: "sameAs", person };
  }
  if (BROWSE.some((re) => re.test(cleaned))) return { kind: "browse" };

  const invite = INVITE.exec(cleaned);
  if (invite) {
    const query = tidyQuery(invite[2]!);
    if (query) return { kind: "invite", email: invite[1]!.replace(/^mailto:/i, ""), query };
  }
  const onBehalf = ON_BEHALF.exec(cleaned);
  if (onBehalf) {
    const person = tidyPerson(onBehalf[3] ?? onBehalf[4]!);
    const query = tidyQuery(onBehalf[1]!);
    if (query && person && (onBehalf[2] !== undefined || looksLikePerson(person))) {
      return { kind: "onBehalf", person, query };
    }
  }
  for (const re of REQUEST) {
    const match = re.exec(cleaned);
    if (match) {
      const query = tidyQuery(match[1]!);
      return query ? { kind: "request", query } : { kind: "browse" };
    }
  }
  return { kind: "unknown", text: text.trim() };
}

/** A name written with capitals ("Fred", "Lola Jensen") or an e-mail address, not "the ERP project". */
function looksLikePerson(text: string): boolean {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return true;
  return /^\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*){0,2}$/u.test(text);
}
