import assert from "node:assert/strict";
import { issueAuditLink } from "../../src/app/admin/audit-link";
import { parseAccessArgs, runAccessCommand } from "../../src/cli/access";
import { cardOf, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";
import type { HttpHarness } from "./support/harness";
import { lastMessage, startWithRoles } from "./support/admin";

/** The URL of the card's "Download CSV" link. */
function downloadUrl(card: unknown): string | undefined {
  return /\[Download CSV\]\((http[^)]+)\)/.exec(textOf(card))?.[1];
}

describe("bot over HTTP: audit a package or a person, with a signed CSV link", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startWithRoles();
    // Ana asks for Business Analyst, Maria (her manager) approves stage 1 with a reason.
    await requestBusinessAnalyst(h);
    await decide(h, "maria", "approval.approve", "Needed for the forecast");
  });
  afterEach(() => h.close());

  const say = async (userId: string, text: string) => {
    await h.channel.say(userId, text);
    return cardOf(lastMessage(h, userId));
  };

  it("shows a catalog owner the package's newest entries: who, what, when, reason", async () => {
    const card = await say("maria", "audti Business Analyst last 30 days");
    const text = textOf(card);
    assert.match(text, /Audit trail: Business Analyst, last 30 days/);
    assert.match(text, /as catalog owner/);
    assert.match(
      text,
      /Stage approved[\s\S]*Who: Maria Silva[\s\S]*When: \{\{DATE\(2026-11-23T10:00:00Z, SHORT\)\}\}/,
    );
    assert.match(text, /Reason: Needed for the forecast/);
    assert.match(text, /Request submitted[\s\S]*Who: Ana Costa/);
    assert.match(downloadUrl(card)!, /^http:\/\/127\.0\.0\.1:\d+\/audit\/download\?t=[\w-]+\.[\w-]+$/);
    const viewed = await h.stores.audit.query({ subject: "package:pkg-ba" });
    assert.ok(
      viewed.some((e) => e.action === "admin.viewed" && e.actor === "maria" && e.details?.what === "audit"),
    );
  });

  it("downloads the CSV over HTTP once, for the person who asked, and audits the download", async () => {
    const url = downloadUrl(await say("sara", "audit business analyst"))!;
    const answer = await fetch(url);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get("content-type")!, /^text\/csv/);
    assert.equal(answer.headers.get("cache-control"), "no-store");
    assert.match(answer.headers.get("content-disposition")!, /attachment; filename="audit-pkg-ba.csv"/);
    const csv = await answer.text();
    assert.match(csv, /^id,at,actor,action,subject,targetUserId,packageId,reason,source,details\r\n/);
    assert.match(csv, /,maria,stage\.approved,request:[^,]+,ana,pkg-ba,Needed for the forecast,/);
    const again = await fetch(url);
    assert.equal(again.status, 403);
    assert.match(await again.text(), /used already/);
    const rows = await h.stores.audit.query({ subject: "package:pkg-ba" });
    assert.ok(
      rows.some((e) => e.action === "admin.viewed" && e.actor === "sara" && e.details?.what === "audit.csv"),
    );
    assert.ok(
      rows.some((e) => e.action === "admin.refused" && e.actor === "sara" && e.source === "link:audit.csv"),
    );
  });

  it("refuses an expired, a forged and another person's link", async () => {
    const url = downloadUrl(await say("maria", "audit Business Analyst"))!;
    const [base, token] = url.split("/audit/download?t=") as [string, string];
    const [body, signature] = token.split(".") as [string, string];
    // Forged: the claims say Ben, the signature was Maria's.
    const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, a: "ben", n: "other" })).toString("base64url");
    const forged = await fetch(`${base}/audit/download?t=${forgedBody}.${signature}`);
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /not valid/);
    assert.equal((await fetch(`${base}/audit/download?t=${body}.${signature.slice(1)}A`)).status, 403);
    // Another person's: a well-signed link for Ben, who holds no role, is refused when spent.
    const bens = issueAuditLink(h.bot.deps, {
      actorId: "ben",
      about: { kind: "package", packageId: "pkg-ba" },
    })!;
    const other = await fetch(`${base}/audit/download?t=${bens.token}`);
    assert.equal(other.status, 403);
    assert.match(await other.text(), /catalog owner or catalog reader of the Finance catalog/);
    // Expired: ten minutes on, Maria's own link no longer works.
    h.clock.advance(10 * 60_000);
    const late = await fetch(url);
    assert.equal(late.status, 403);
    assert.match(await late.text(), /expired/);
    const refusals = (await h.stores.audit.query({ limit: 1000 })).filter(
      (e) => e.action === "admin.refused" && e.source === "link:audit.csv",
    );
    assert.deepEqual(refusals.map((e) => e.actor).sort(), ["anonymous", "anonymous", "ben", "maria"]);
  });

  it("re-checks the role at download: an owner removed since asking gets nothing", async () => {
    const url = downloadUrl(await say("maria", "audit Business Analyst"))!;
    const config = await h.stores.governance.load();
    config.catalogs[0]!.owners = ["sam"];
    await h.stores.governance.save(config);
    const answer = await fetch(url);
    assert.equal(answer.status, 403);
    assert.match(await answer.text(), /you need to be a catalog owner/);
  });

  it("refuses someone without a role, naming it; only the refusal is written", async () => {
    const before = await h.stores.audit.query({ limit: 1000 });
    for (const phrase of ["audit Business Analyst", "audit Ana Costa"]) {
      const card = await say("ben", phrase);
      assert.match(textOf(card), /You need an administrative role/);
      assert.match(textOf(card), /catalog owner or catalog reader/);
      assert.doesNotMatch(textOf(card), /Needed for the forecast/);
      assert.equal(downloadUrl(card), undefined);
    }
    // The assignment manager manages, but does not audit.
    assert.match(textOf(await say("sam", "audit Business Analyst")), /You need an administrative role/);
    const after = await h.stores.audit.query({ limit: 1000 });
    const added = after.slice(0, after.length - before.length);
    assert.deepEqual(added.map((e) => `${e.actor} ${e.action} ${e.subject}`).sort(), [
      "ben admin.refused package:pkg-ba",
      "ben admin.refused user:ana",
      "sam admin.refused package:pkg-ba",
    ]);
  });

  it("shows an owner a person's entries of their catalogs only; auditors see all of them", async () => {
    const config = await h.stores.governance.load();
    config.catalogs.push({ ...config.catalogs[0]!, id: "cat-sales", name: "Sales", owners: ["sam"] });
    config.packages.find((p) => p.id === "pkg-sales")!.catalogId = "cat-sales";
    await h.stores.governance.save(config);
    const groupsOf = h.directory.getUserGroupIds.bind(h.directory);
    h.directory.getUserGroupIds = async (id) => (id === "noman" ? ["g-auditors"] : groupsOf(id));
    h.bot.deps.auditorsGroupId = "g-auditors";
    await h.stores.audit.append([
      {
        id: "aud-sales",
        at: "2026-11-20T09:00:00.000Z",
        actor: "maria",
        action: "assignment.removed",
        subject: "assignment:a-sales",
        targetUserId: "ana",
        packageId: "pkg-sales",
        reason: "Left the sales team",
        source: "chat:remove",
      },
    ]);
    const maria = textOf(await say("maria", "audit Ana Costa"));
    assert.match(maria, /Audit trail: Ana Costa/);
    assert.match(maria, /Request submitted: Business Analyst/);
    assert.doesNotMatch(maria, /Left the sales team/);
    const sam = textOf(await say("sam", "audit Ana Costa"));
    assert.match(sam, /Left the sales team/);
    assert.doesNotMatch(sam, /Business Analyst/);
    const auditor = textOf(await say("noman", "audit Ana Costa"));
    assert.match(auditor, /as auditor/);
    assert.match(
      auditor,
      /Left the sales team[\s\S]*Business Analyst|Business Analyst[\s\S]*Left the sales team/,
    );
  });

  it("has a CLI twin: npm run access -- audit <package|person> [--days n] [--csv] --as <id>", async () => {
    assert.deepEqual(
      parseAccessArgs(["audit", "Business", "Analyst", "--days", "7", "--csv", "--as", "maria"]),
      {
        verb: "audit",
        subject: "Business Analyst",
        days: 7,
        csv: true,
        as: "maria",
      },
    );
    const csv = await runAccessCommand(
      h.bot.deps,
      parseAccessArgs(["audit", "pkg-ba", "--csv", "--as", "maria"])!,
    );
    assert.equal(csv.code, 0);
    assert.match(csv.lines[0]!, /^id,at,actor,action/);
    const lines = await runAccessCommand(h.bot.deps, parseAccessArgs(["audit", "ana", "--as", "maria"])!);
    assert.equal(lines.code, 0);
    assert.match(lines.lines.join("\n"), /stage\.approved by maria/);
    const refused = await runAccessCommand(h.bot.deps, parseAccessArgs(["audit", "pkg-ba", "--as", "ben"])!);
    assert.equal(refused.code, 1);
    assert.match(refused.lines[0]!, /^ADMIN\.ROLE_NEEDED/);
  });
});
