import type { AuditEntry, UserId } from "../../domain/model";
import type { AssignmentStore, RequestStore } from "../../ports/stores";
import { entryRowKey } from "./audit-chain-writer";
import { encodeKey, key } from "./keys";

/**
 * Where the query copies of an audit entry live (docs/storage.md, "Audit"). An entry about one
 * person's request or assignment keeps both its copies in that person's partition `u|<user>`: the
 * person's copy under `<inverted time>|<id>`, the subject's under `s|<subject>|<inverted time>|<id>`,
 * so one transaction writes both. Any other entry keeps its subject's copy in `s|<subject>` and,
 * when it concerns one person, the person's copy in `u|<user>`.
 */

/** Subjects that belong to one person: a request's or an assignment's. */
const PERSONAL_SUBJECT = /^(request|assignment):/;
/**
 * What happened to a request or an assignment, its stages and its resources (`stage.approved`,
 * `resource.granted`, ...): such an entry names the request's or assignment's person. Others about
 * it may name someone else (a notice that did not reach an approver names the approver), so they
 * stay in `s|<subject>`.
 */
const LIFECYCLE_ACTION = /^(request|stage|assignment|resource)\./;

type About = Pick<AuditEntry, "subject" | "targetUserId" | "action">;

/** A place copies go: a partition, and the row-key prefix of the copies in it. */
interface Placement {
  partitionKey: string;
  prefix: string;
}

export type CopyRow = { partitionKey: string; rowKey: string };

export const isPersonalSubject = (subject: string): boolean => PERSONAL_SUBJECT.test(subject);

/** The row-key prefix of a subject's copies inside a person's partition. */
export const subjectPrefix = (subject: string): string => `s|${encodeKey(subject)}|`;

/** Whether an entry's subject copy goes to its person's partition. */
export const filedWithPerson = (entry: About): entry is About & { targetUserId: string } =>
  entry.targetUserId !== undefined && isPersonalSubject(entry.subject) && LIFECYCLE_ACTION.test(entry.action);

function placements(entry: About): Placement[] {
  if (filedWithPerson(entry)) {
    const partitionKey = key("u", entry.targetUserId);
    return [
      { partitionKey, prefix: "" },
      { partitionKey, prefix: subjectPrefix(entry.subject) },
    ];
  }
  return [
    { partitionKey: key("s", entry.subject), prefix: "" },
    ...(entry.targetUserId !== undefined ? [{ partitionKey: key("u", entry.targetUserId), prefix: "" }] : []),
  ];
}

const placeName = ({ partitionKey, prefix }: Placement): string =>
  prefix === "" ? partitionKey : `${partitionKey} ${prefix}`;

/** Every query copy of an entry, as rows of the Audit table. */
export const copyRows = (entry: About & Pick<AuditEntry, "id" | "at">): CopyRow[] =>
  placements(entry).map((p) => ({ partitionKey: p.partitionKey, rowKey: p.prefix + entryRowKey(entry) }));

/** The places an entry's copies must be found in, as verification names them. */
export const copyPlaces = (entry: About): string[] => placements(entry).map(placeName);

/**
 * A subject copy in `s|<subject>` of an entry whose copy now goes to its person's partition: written
 * before that layout (the `audit-person-copies` migration step moves it). Queries read it still.
 */
export const isEarlierSubjectCopy = (partitionKey: string, entry: About): boolean =>
  partitionKey.startsWith("s|") && filedWithPerson(entry);

/** The place a stored copy stands for; an earlier subject copy stands for the one in its person's partition. */
export function placeOfStoredCopy(row: CopyRow, entry: About): string {
  if (isEarlierSubjectCopy(row.partitionKey, entry)) return placeName(placements(entry)[1]!);
  const prefix = row.rowKey.startsWith("s|") ? subjectPrefix(entry.subject) : "";
  return placeName({ partitionKey: row.partitionKey, prefix });
}

/** Whose request or assignment a subject names, read from the request or assignment itself. */
export async function personOf(
  subject: string,
  requests: Pick<RequestStore, "get">,
  assignments: Pick<AssignmentStore, "get">,
): Promise<UserId | undefined> {
  const [kind, id] = [subject.slice(0, subject.indexOf(":")), subject.slice(subject.indexOf(":") + 1)];
  if (kind === "request") return (await requests.get(id))?.value.targetUserId;
  if (kind === "assignment") return (await assignments.get(id))?.value.userId;
  return undefined;
}
