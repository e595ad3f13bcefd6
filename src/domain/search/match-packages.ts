import type { AccessPackage } from "../model";
import { editDistance, typoAllowance } from "./edit-distance";
import { meaningfulWords, words } from "./text";

export interface PackageCandidate {
  package: AccessPackage;
  catalogName: string;
  resourceNames: string[];
}

export interface PackageMatch {
  package: AccessPackage;
  /** 0..100; 100 means every meaningful word of the query is in the package name. */
  score: number;
  /** Why it matched, for the user: 'name "Salesforce"', 'keyword "CRM" (you wrote "crn")'. */
  reason: string;
}

/** Below this a package shares too little with the query to be offered. */
export const MATCH_THRESHOLD = 45;

type FieldKind = "name" | "keyword" | "resource" | "catalog" | "description";
// How much a word found in each place says about what the person wants.
const FIELD_WEIGHT: Record<FieldKind, number> = {
  name: 1,
  keyword: 0.9,
  resource: 0.8,
  catalog: 0.6,
  description: 0.5,
};

interface Phrase {
  kind: FieldKind;
  text: string;
  words: string[];
}

interface WordHit {
  score: number;
  phrase: Phrase;
  typo: boolean;
}

/**
 * Ranks requestable packages by how well they match what someone typed. Each meaningful query word
 * takes its best hit (exact, prefix, or a typo within one or two edits) across name, keywords,
 * resource names, catalog and description; the package scores the weighted mean, with a small
 * bonus for covering the whole name. Hidden packages are never offered.
 */
export function matchPackages(query: string, candidates: readonly PackageCandidate[]): PackageMatch[] {
  const queryWords = meaningfulWords(query);
  if (queryWords.length === 0) return [];
  const matches: PackageMatch[] = [];
  for (const candidate of candidates) {
    if (candidate.package.hidden) continue;
    const phrases = phrasesOf(candidate);
    const hits = bestHits(queryWords, phrases);
    const mean = hits.reduce((sum, hit) => sum + (hit?.score ?? 0), 0) / queryWords.length;
    const nameWords = phrases[0]!.words;
    const covered = nameWords.filter((w) => queryWords.some((q) => wordScore(q, w) >= 0.8)).length;
    const score = Math.round(100 * (0.9 * mean + 0.1 * (nameWords.length ? covered / nameWords.length : 0)));
    if (score < MATCH_THRESHOLD) continue;
    matches.push({ package: candidate.package, score, reason: describe(hits, queryWords) });
  }
  return matches.sort(
    (a, b) =>
      b.score - a.score ||
      compareText(a.package.name.toLowerCase(), b.package.name.toLowerCase()) ||
      compareText(a.package.id, b.package.id),
  );
}

function phrasesOf(candidate: PackageCandidate): Phrase[] {
  const phrase = (kind: FieldKind, text: string): Phrase => ({ kind, text, words: words(text) });
  return [
    phrase("name", candidate.package.name),
    ...candidate.package.keywords.map((k) => phrase("keyword", k)),
    ...candidate.resourceNames.map((r) => phrase("resource", r)),
    phrase("catalog", candidate.catalogName),
    phrase("description", candidate.package.description),
  ];
}

/** The best hit of each query word; two neighbouring words may also hit as one ("sales force"). */
function bestHits(queryWords: string[], phrases: Phrase[]): (WordHit | undefined)[] {
  const hits: (WordHit | undefined)[] = queryWords.map(() => undefined);
  const offer = (index: number, hit: WordHit) => {
    if (!hits[index] || hit.score > hits[index]!.score) hits[index] = hit;
  };
  for (const phrase of phrases) {
    const weight = FIELD_WEIGHT[phrase.kind];
    // Typos only count where they are telling: not in long free-text descriptions.
    const allowTypos = phrase.kind !== "description";
    for (const word of phrase.words) {
      queryWords.forEach((q, i) => {
        const s = wordScore(q, word, allowTypos);
        if (s > 0) offer(i, { score: s * weight, phrase, typo: s < 0.85 });
        const joined = i + 1 < queryWords.length ? q + queryWords[i + 1] : undefined;
        const js = joined ? wordScore(joined, word, allowTypos) : 0;
        if (js >= 0.8) {
          offer(i, { score: js * weight, phrase, typo: js < 0.85 });
          offer(i + 1, { score: js * weight, phrase, typo: js < 0.85 });
        }
      });
    }
  }
  return hits;
}

/** 1 for the same word, 0.85 when the query is the start of a longer word, 0.8 - 0.1 per extra typo. */
function wordScore(query: string, word: string, allowTypos = true): number {
  if (query === word) return 1;
  if (query.length >= 3 && word.startsWith(query)) return 0.85;
  if (!allowTypos) return 0;
  const allowance = typoAllowance(Math.min(query.length, word.length));
  if (allowance === 0) return 0;
  const distance = editDistance(query, word, allowance);
  return distance <= allowance ? 0.8 - 0.1 * (distance - 1) : 0;
}

function describe(hits: (WordHit | undefined)[], queryWords: string[]): string {
  let best = 0;
  hits.forEach((hit, i) => {
    if (hit && hit.score > (hits[best]?.score ?? 0)) best = i;
  });
  const hit = hits[best]!;
  const where = hit.phrase.kind === "description" ? "description" : `${hit.phrase.kind} "${hit.phrase.text}"`;
  return hit.typo ? `${where} (you wrote "${queryWords[best]}")` : where;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
