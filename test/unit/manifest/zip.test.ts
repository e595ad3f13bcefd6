import { deepStrictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { useFakeTimers } from "sinon";
import { buildTeamsPackage } from "../../../src/cli/teams-package/build";

const rootDir = join(__dirname, "..", "..", "..");
const env = { MicrosoftAppId: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" };

describe("the Teams package zip", () => {
  it("holds exactly manifest.json, color.png and outline.png, byte for byte", async () => {
    const { manifest, zip } = await buildTeamsPackage(rootDir, env);
    const entries = unzipSync(zip);
    deepStrictEqual(Object.keys(entries), ["manifest.json", "color.png", "outline.png"]);
    deepStrictEqual(
      Buffer.from(entries["manifest.json"]!),
      Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    );
    for (const file of ["color.png", "outline.png"]) {
      deepStrictEqual(Buffer.from(entries[file]!), readFileSync(join(rootDir, "manifest", file)));
    }
  });

  it("has the same bytes whatever the date and time zone of the machine", async () => {
    const savedTz = process.env.TZ;
    const buildAt = async (now: string, tz: string) => {
      process.env.TZ = tz;
      const clock = useFakeTimers({ now: new Date(now), toFake: ["Date"] });
      try {
        return (await buildTeamsPackage(rootDir, env)).zip;
      } finally {
        clock.restore();
      }
    };
    try {
      const first = await buildAt("2024-01-01T00:00:00Z", "UTC");
      deepStrictEqual(await buildAt("2031-07-15T13:37:11Z", "Pacific/Chatham"), first);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });
});
