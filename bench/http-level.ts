import type { Section } from "./report";

export async function httpSection(_connectionString: string, out: Section): Promise<void> {
  out.skipped = "the bot (src/bot createBot) is not available yet";
}
