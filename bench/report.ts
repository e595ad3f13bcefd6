/** Collects figures per section and renders them as a console table and as Markdown. */
export type Verdict = "met" | "missed" | "";

export interface Row {
  metric: string;
  value: string;
  target?: string;
  verdict?: Verdict;
}

export interface Table {
  caption: string;
  header: string[];
  rows: string[][];
}

export interface Section {
  title: string;
  rows: Row[];
  notes: string[];
  tables: Table[];
  skipped?: string;
}

export class Report {
  readonly sections: Section[] = [];

  section(title: string): Section {
    const section: Section = { title, rows: [], notes: [], tables: [] };
    this.sections.push(section);
    return section;
  }
}

/** A row with a verdict: `ok` decides met/missed. */
export function judged(metric: string, value: string, target: string, ok: boolean): Row {
  return { metric, value, target, verdict: ok ? "met" : "missed" };
}

export function renderConsole(section: Section): string {
  const lines = [`\n== ${section.title}`];
  if (section.skipped) return [...lines, `   skipped: ${section.skipped}`].join("\n");
  const width = Math.max(10, ...section.rows.map((r) => r.metric.length));
  for (const r of section.rows) {
    const target = r.target ? `  (target ${r.target}: ${r.verdict})` : "";
    lines.push(`   ${r.metric.padEnd(width)}  ${r.value}${target}`);
  }
  for (const t of section.tables) {
    lines.push(`   ${t.caption}`);
    for (const r of t.rows) lines.push(`     ${r.join("  ")}`);
  }
  for (const n of section.notes) lines.push(`   - ${n}`);
  return lines.join("\n");
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

export function renderMarkdown(report: Report, header: string[]): string {
  const out = [...header];
  for (const section of report.sections) {
    out.push("", `## ${section.title}`, "");
    if (section.skipped) {
      out.push(`Skipped: ${section.skipped}`);
      continue;
    }
    if (section.rows.length > 0) {
      out.push("| Measure | Value | Target | Verdict |", "|---|---|---|---|");
      for (const r of section.rows) {
        out.push(`| ${cell(r.metric)} | ${cell(r.value)} | ${cell(r.target ?? "")} | ${r.verdict ?? ""} |`);
      }
    }
    for (const t of section.tables) {
      out.push(
        "",
        t.caption,
        "",
        `| ${t.header.map(cell).join(" | ")} |`,
        `|${t.header.map(() => "---").join("|")}|`,
      );
      for (const r of t.rows) out.push(`| ${r.map(cell).join(" | ")} |`);
    }
    if (section.notes.length > 0) {
      out.push("");
      for (const n of section.notes) out.push(`- ${n}`);
    }
  }
  return out.join("\n") + "\n";
}
