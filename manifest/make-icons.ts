/**
 * Draws the Access Desk icons (a shield with a keyhole) and writes manifest/color.png (192x192)
 * and manifest/outline.png (32x32, white on transparent). Run: npx tsx manifest/make-icons.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderColorIcon, renderOutlineIcon } from "../src/cli/teams-package/icons";
import { encodePng } from "../src/cli/teams-package/png";

writeFileSync(join(__dirname, "color.png"), encodePng(renderColorIcon()));
writeFileSync(join(__dirname, "outline.png"), encodePng(renderOutlineIcon()));
console.log("wrote manifest/color.png and manifest/outline.png");
