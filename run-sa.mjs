import { runYosys } from "@yowasp/yosys";
import fs from "node:fs";
for (const top of process.argv.slice(2)) {
  const files = { [`${top}.v`]: fs.readFileSync(`/tmp/sa/${top}.v`, "utf8") };
  let log = "";
  const collect = (c) => { if (c) log += typeof c === "string" ? c : new TextDecoder().decode(c); };
  try { await runYosys(["-p", `read_verilog ${top}.v; synth_ice40 -top ${top}; stat`], files, { stdout: collect, stderr: collect, decodeASCII: true }); } catch (e) { console.log(log.split("\n").filter(l=>/ERROR/.test(l))); continue; }
  const stat = log.slice(log.lastIndexOf("Printing statistics"));
  console.log(top, (stat.match(/.*SB_LUT4.*/g)||[]).join("|"), (stat.match(/.*SB_CARRY.*/g)||[]).join("|"));
}
