import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const DEMO_DIR = "governance";

/**
 * A copy of the demo governance folder with `count` more packages (each with a policy), made from
 * design-tools.yaml so every reference resolves in the demo organisation. `edition` goes into every
 * generated package's description; numbering starts at `from`.
 */
export function governanceDirWithBulk(count: number, edition: string, from = 1): string {
  const dir = mkdtempSync(path.join(tmpdir(), "governance-bulk-"));
  cpSync(DEMO_DIR, dir, { recursive: true });
  const template = readFileSync(path.join(DEMO_DIR, "packages", "design-tools.yaml"), "utf8");
  for (let i = from; i < from + count; i += 1) {
    const id = `bulk-${String(i).padStart(3, "0")}`;
    const text = template
      .replace(/^id: design-tools$/m, `id: ${id}`)
      .replace(/^name: Design Tools$/m, `name: Bulk ${i}`)
      .replace(/^description: .*$/m, `description: Edition ${edition}.`)
      .replace("- id: design-tools-employees", `- id: ${id}-employees`);
    writeFileSync(path.join(dir, "packages", `${id}.yaml`), text);
  }
  return dir;
}
