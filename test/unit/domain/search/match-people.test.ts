import { deepStrictEqual } from "node:assert/strict";
import type { DirectoryUser } from "../../../../src/domain/model";
import { matchPeople, type PeopleMatch } from "../../../../src/domain/search";

const person = (id: string, displayName: string, upn: string, mail?: string): DirectoryUser => ({
  id,
  displayName,
  userPrincipalName: upn,
  mail,
  userType: "Member",
  accountEnabled: true,
});

const USERS = [
  person("lj", "Lola Jensen", "lola@contoso.com", "lola.jensen@contoso.com"),
  person("lk", "Lola Jenkins", "lolak@contoso.com"),
  person("fo", "Fred Ott", "fred@contoso.com"),
  person("mj", "Mads Jensen", "mads@contoso.com"),
];

const summary = (match: PeopleMatch): string[] =>
  match.kind === "none" ? [] : match.kind === "unique" ? [match.user.id] : match.users.map((u) => u.id);

describe("matchPeople", () => {
  const cases: [query: string, kind: PeopleMatch["kind"], ids: string[]][] = [
    ["Lola Jensen", "unique", ["lj"]],
    ["lola jensen", "unique", ["lj"]],
    ["<at>Lola Jensen</at>", "unique", ["lj"]],
    ["lola@contoso.com", "unique", ["lj"]],
    ["LOLA.JENSEN@contoso.com", "unique", ["lj"]],
    ["Lola", "ambiguous", ["lk", "lj"]],
    ["Jensen", "ambiguous", ["lj", "mj"]],
    ["Fred", "unique", ["fo"]],
    ["@Fred", "unique", ["fo"]],
    ["Fre", "unique", ["fo"]],
    ["Lola Jen", "ambiguous", ["lk", "lj"]],
    ["Lola Jensn", "unique", ["lj"]],
    ["Fredd Ott", "unique", ["fo"]],
    ["nobody@contoso.com", "none", []],
    ["Zed", "none", []],
    ["", "none", []],
  ];
  for (const [query, kind, ids] of cases) {
    it(`finds ${kind} ${ids.join(", ")} for ${JSON.stringify(query)}`.trim(), () => {
      const match = matchPeople(query, USERS);
      deepStrictEqual([match.kind, summary(match)], [kind, ids]);
    });
  }
});
