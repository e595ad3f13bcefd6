import type { Section } from "./report";

export async function fanoutSection(out: Section): Promise<void> {
  out.skipped = "not built yet";
}
