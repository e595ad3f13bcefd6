import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { PNG } from "pngjs";
import { buildTeamsPackage, validateManifest } from "../../../src/cli/teams-package/build";
import { checkIcon } from "../../../src/cli/teams-package/icons";

const rootDir = join(__dirname, "..", "..", "..");
const APP_ID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const { version } = JSON.parse(readFileSync(join(rootDir, "package.json"), "utf8")) as { version: string };

describe("the Teams app package", () => {
  it("has a manifest that fills every placeholder and validates against its schema", async () => {
    const { zip } = await buildTeamsPackage(rootDir, {
      MicrosoftAppId: APP_ID,
      BOT_DOMAIN: "desk.contoso.com",
    });
    const text = strFromU8(unzipSync(zip)["manifest.json"]!);
    ok(!text.includes("{{"), "no placeholder is left");
    const manifest = JSON.parse(text) as Record<string, unknown>;
    await validateManifest(manifest);
    equal(manifest.version, version);
    equal(manifest.id, APP_ID);
    const [bot] = manifest.bots as {
      botId: string;
      scopes: string[];
      commandLists: { commands: { title: string }[] }[];
    }[];
    equal(bot!.botId, APP_ID);
    deepStrictEqual(bot!.scopes, ["personal", "team", "groupChat"]);
    deepStrictEqual(manifest.webApplicationInfo, { id: APP_ID, resource: `api://botid-${APP_ID}` });
    deepStrictEqual(manifest.validDomains, ["desk.contoso.com"]);
    deepStrictEqual(
      bot!.commandLists[0]!.commands.map((c) => c.title),
      ["help", "what can I request", "my requests", "my access", "my approvals", "my reviews"],
    );
  });

  const domains: [given: string | undefined, validDomains: string[]][] = [
    [undefined, []],
    ["desk.contoso.com", ["desk.contoso.com"]],
    ["https://desk.contoso.com/api/messages", ["desk.contoso.com"]],
  ];
  for (const [given, validDomains] of domains) {
    it(`lists ${JSON.stringify(validDomains)} as valid domains for BOT_DOMAIN=${given ?? "(unset)"}`, async () => {
      const { manifest } = await buildTeamsPackage(rootDir, { MicrosoftAppId: APP_ID, BOT_DOMAIN: given });
      deepStrictEqual(manifest.validDomains, validDomains);
    });
  }

  const badSettings: [name: string, env: Record<string, string>, message: RegExp][] = [
    [
      "a missing app id",
      {},
      /^MicrosoftAppId is not set: put your bot's Microsoft App ID in \.env or the environment$/,
    ],
    ["a blank app id", { MicrosoftAppId: "  " }, /^MicrosoftAppId is not set/],
    ["an app id that is not a GUID", { MicrosoftAppId: "my-bot" }, /MicrosoftAppId "my-bot" is not a GUID/],
    [
      "a Teams app id that is not a GUID",
      { MicrosoftAppId: APP_ID, TEAMS_APP_ID: "x" },
      /TEAMS_APP_ID "x" is not a GUID/,
    ],
  ];
  for (const [name, env, message] of badSettings) {
    it(`refuses ${name} with a clear message`, async () => {
      await rejects(buildTeamsPackage(rootDir, env), (e: Error) => message.test(e.message));
    });
  }

  it("reports schema violations", async () => {
    const { manifest } = await buildTeamsPackage(rootDir, { MicrosoftAppId: APP_ID });
    const broken = { ...manifest, name: { short: "A name far longer than thirty characters" } };
    await rejects(validateManifest(broken), /does not match its schema:\n.*\/name\/short/);
  });
});

describe("icon checks", () => {
  const icon = (file: string) => PNG.sync.read(readFileSync(join(rootDir, "manifest", file)));

  it("has a 192x192 colour icon and a 32x32 outline icon", () => {
    const [color, outline] = [icon("color.png"), icon("outline.png")];
    deepStrictEqual([color.width, color.height, outline.width, outline.height], [192, 192, 32, 32]);
  });

  it("has an outline that is white on a transparent background", () => {
    const { data } = icon("outline.png");
    const alphas = Array.from({ length: data.length / 4 }, (_, i) => data[i * 4 + 3]!);
    ok(alphas.filter((a) => a === 0).length > 200, "most of the background is transparent");
    ok(alphas.filter((a) => a === 255).length > 200, "the glyph is solid");
    ok(
      data.every((value, i) => i % 4 === 3 || value === 255),
      "every colour channel is white",
    );
  });

  /** A PNG of one colour; colour type 2 drops the alpha channel. */
  const solid = (size: number, rgba: number[], colorType: 2 | 6 = 6) => {
    const png = new PNG({ width: size, height: size });
    for (let i = 0; i < png.data.length; i += 4) png.data.set(rgba, i);
    return PNG.sync.write(png, { colorType });
  };
  const bad: [name: string, file: string, png: Buffer, size: number, message: RegExp][] = [
    [
      "a colour icon of the wrong size",
      "color.png",
      solid(96, [0, 0, 255, 255]),
      192,
      /is 96x96; Teams needs 192x192/,
    ],
    ["an outline of the wrong size", "outline.png", solid(192, [255, 255, 255, 0]), 32, /Teams needs 32x32/],
    [
      "an outline without transparency",
      "outline.png",
      solid(32, [255, 255, 255, 255]),
      32,
      /no transparent pixels/,
    ],
    [
      "an outline without an alpha channel",
      "outline.png",
      solid(32, [255, 255, 255, 0], 2),
      32,
      /no transparent pixels/,
    ],
    ["an outline that is not white", "outline.png", solid(32, [0, 0, 0, 255]), 32, /not white/],
    ["a file that is not a PNG", "color.png", Buffer.from("not an image"), 192, /is not a PNG file/],
    ["a PNG cut short", "color.png", solid(192, [0, 0, 255, 255]).subarray(0, 100), 192, /is not a PNG file/],
  ];
  for (const [name, file, png, size, message] of bad) {
    it(`refuses ${name}`, () => throws(() => checkIcon(file, png, size), message));
  }

  it("accepts a white-on-transparent outline whatever its PNG colour type", () => {
    const png = new PNG({ width: 32, height: 32 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set([255, 255, 255, i % 8 === 0 ? 255 : 0], i);
    checkIcon("outline.png", PNG.sync.write(png, { colorType: 4 }), 32);
  });
});
