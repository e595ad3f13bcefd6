import { readFileSync } from "node:fs";
import path from "node:path";
import type { GovernanceFiles } from "../../src/governance/load";
import { formatProblem, type ConfigProblem } from "../../src/governance/problems";

export const FIXTURES = "test/governance/fixtures";
export const VALID_DIR = `${FIXTURES}/valid`;

const read = (name: string) => ({ name, text: readFileSync(name, "utf8") });

/** The valid fixture folder as files, optionally with extra or replaced package files. */
export function validFiles(extraPackages: { name: string; text: string }[] = []): GovernanceFiles {
  const packages = ["analyst.yaml", "project.yaml"].map((f) => read(`${VALID_DIR}/packages/${f}`));
  const replaced = new Set(extraPackages.map((p) => path.basename(p.name)));
  return {
    catalogs: read(`${VALID_DIR}/catalogs.yaml`),
    connectedOrganizations: read(`${VALID_DIR}/connected-organizations.yaml`),
    packages: [...packages.filter((p) => !replaced.has(path.basename(p.name))), ...extraPackages],
  };
}

export function brokenFixture(file: string): { name: string; text: string } {
  return read(`${FIXTURES}/broken/${file}`);
}

export function formatted(problems: ConfigProblem[]): string[] {
  return problems.map(formatProblem);
}
