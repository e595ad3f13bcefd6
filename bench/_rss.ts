import v8 from "node:v8";
import vm from "node:vm";
import { startAzurite } from "../src/dev/azurite";
import { lifecycleSection } from "./lifecycles";
import { Report } from "./report";
import { measureFloor } from "./floor";
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
async function main() {
  const az = await startAzurite({ inMemory: true });
  const mb = () => { const m = process.memoryUsage(); return `rss ${Math.round(m.rss/1e6)} heap ${Math.round(m.heapUsed/1e6)}/${Math.round(m.heapTotal/1e6)} ext ${Math.round(m.external/1e6)} ab ${Math.round(m.arrayBuffers/1e6)}`; };
  console.log("start", mb());
  await measureFloor(az.connectionString, 16, 4000); console.log("after floor", mb()); gc(); console.log("after floor gc", mb());
  const t = setInterval(() => console.log(mb()), 5000);
  const r = new Report();
  await lifecycleSection(az.connectionString, { concurrency: 16, count: 400, traced: 0 }, r.section("x"));
  clearInterval(t);
  console.log("end", mb()); gc(); console.log("after gc", mb());
  console.log(r.sections[0]!.rows.map(r=>r.metric+" "+r.value).join("\n"));
  await az.stop(); process.exit(0);
}
main();
