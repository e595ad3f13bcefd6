import type { DirectoryUser } from "../model";
import { editDistance, typoAllowance } from "./edit-distance";
import { words } from "./text";

/** Who a name in a message refers to; several people are all returned so the user can pick. */
export type PeopleMatch =
  | { kind: "none" }
  | { kind: "unique"; user: DirectoryUser }
  | { kind: "ambiguous"; users: DirectoryUser[] };

type Tier = (queryWords: string[], nameWords: string[]) => boolean;

// From strict to loose: the first tier that finds anyone decides, so "Lola Jensen" never also
// offers "Lola Jenkins" when an exact match exists.
const TIERS: Tier[] = [
  (q, n) => q.length === n.length && q.every((w, i) => w === n[i]),
  (q, n) => q.every((w) => n.includes(w)),
  (q, n) => q.every((w) => n.some((name) => w.length >= 2 && name.startsWith(w))),
  (q, n) =>
    q.every((w) =>
      n.some((name) => editDistance(w, name, typoAllowance(w.length)) <= typoAllowance(w.length)),
    ),
];

/** Finds people by e-mail/UPN (exactly), by full name, by first or last name, then with typos. */
export function matchPeople(query: string, users: readonly DirectoryUser[]): PeopleMatch {
  const cleaned = query
    .replace(/<\/?at>/gi, "")
    .replace(/^@/, "")
    .trim();
  if (cleaned === "") return { kind: "none" };
  if (cleaned.includes("@")) {
    const address = cleaned.toLowerCase();
    return result(
      users.filter((u) => u.userPrincipalName.toLowerCase() === address || u.mail?.toLowerCase() === address),
    );
  }
  const queryWords = words(cleaned);
  if (queryWords.length === 0) return { kind: "none" };
  const named = users.map((user) => ({ user, nameWords: words(user.displayName) }));
  for (const tier of TIERS) {
    const found = named.filter(({ nameWords }) => tier(queryWords, nameWords)).map(({ user }) => user);
    if (found.length > 0) return result(found);
  }
  return { kind: "none" };
}

function result(found: DirectoryUser[]): PeopleMatch {
  if (found.length === 0) return { kind: "none" };
  if (found.length === 1) return { kind: "unique", user: found[0]! };
  const users = [...found].sort((a, b) =>
    a.displayName === b.displayName ? (a.id < b.id ? -1 : 1) : a.displayName < b.displayName ? -1 : 1,
  );
  return { kind: "ambiguous", users };
}
