import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The Node flags production starts the bot with (`npm run start:prod`, the App Service's command
 * line), read from package.json so the bench's bot processes run as production does.
 */
export function productionNodeFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = (pkg.scripts["start:prod"] ?? "").split(/\s+/);
  const node = words.indexOf("node");
  return words.slice(node + 1).filter((w) => w.startsWith("--"));
}
