import { type ImportEdge, type SourceFile, importsOf, readsProcessEnv } from "./import-graph";

/** A broken layering rule: which rule, where, and the import (or read) that breaks it. */
export interface Violation {
  rule: string;
  file: string;
  detail: string;
}

const within = (file: string, ...dirs: string[]): boolean =>
  dirs.some((d) => (d.endsWith(".ts") ? file === d : file === d || file.startsWith(`${d}/`)));

const isPackage = (edge: ImportEdge): boolean => !edge.specifier.startsWith(".");
const TEAMS_SDK = /^(botbuilder|botbuilder-.*|botframework-.*|@microsoft\/teams-ai)$/;

/** Packages the domain may use: pure computation, no I/O (re2js: policy patterns in linear time). */
const PURE_PACKAGES = new Set(["re2js"]);

interface EdgeRule {
  name: string;
  /** Files the rule speaks about. */
  applies: (file: string) => boolean;
  /** True when the import is not allowed. */
  breaks: (edge: ImportEdge) => boolean;
}

/** The rules of docs/decisions.md "Layers that a test enforces", one per line of that list. */
export const EDGE_RULES: EdgeRule[] = [
  {
    name: "domain imports only domain",
    applies: (f) => within(f, "src/domain"),
    breaks: (e) => (isPackage(e) ? !PURE_PACKAGES.has(e.target) : !within(e.target, "src/domain")),
  },
  {
    name: "ports import only ports and domain",
    applies: (f) => within(f, "src/ports"),
    breaks: (e) => isPackage(e) || !within(e.target, "src/ports", "src/domain"),
  },
  {
    name: "app imports only app, domain and ports",
    applies: (f) => within(f, "src/app"),
    breaks: (e) => isPackage(e) || !within(e.target, "src/app", "src/domain", "src/ports"),
  },
  {
    name: "views import no app, adapters or bot",
    applies: (f) => within(f, "src/views"),
    breaks: (e) => within(e.target, "src/app", "src/adapters", "src/bot"),
  },
  {
    name: "only the bot and the Teams adapter import botbuilder or teams-ai",
    applies: (f) => !within(f, "src/bot", "src/adapters/teams"),
    breaks: (e) => isPackage(e) && TEAMS_SDK.test(e.target),
  },
  {
    name: "the bot imports no adapter",
    applies: (f) => within(f, "src/bot"),
    breaks: (e) => within(e.target, "src/adapters"),
  },
  {
    name: "adapters implement ports: they import no app, bot, views or scheduler",
    applies: (f) => within(f, "src/adapters"),
    breaks: (e) => within(e.target, "src/app", "src/bot", "src/views", "src/scheduler"),
  },
  {
    name: "one adapter imports another only through the composition root (adapters/shared is common)",
    applies: (f) => within(f, "src/adapters"),
    breaks: (e) => {
      const own = e.from.split("/").slice(0, 3).join("/");
      const foreign = within(e.target, "src/adapters") && !within(e.target, own, "src/adapters/shared");
      return foreign && !e.typeOnly;
    },
  },
  {
    name: "only the composition root constructs adapters",
    applies: (f) => !within(f, "src/adapters", "src/main.ts", "src/composition"),
    breaks: (e) => within(e.target, "src/adapters") && !e.typeOnly,
  },
];

/** Every rule broken by `files` (paths relative to the project root, e.g. `src/app/x.ts`). */
export function checkLayers(files: SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const edges = importsOf(file);
    for (const rule of EDGE_RULES) {
      if (!rule.applies(file.path)) continue;
      for (const edge of edges.filter(rule.breaks)) {
        violations.push({ rule: rule.name, file: file.path, detail: `imports "${edge.specifier}"` });
      }
    }
    if (file.path !== "src/config.ts" && readsProcessEnv(file)) {
      violations.push({
        rule: "nothing but config.ts reads process.env",
        file: file.path,
        detail: "reads process.env",
      });
    }
  }
  return violations;
}
