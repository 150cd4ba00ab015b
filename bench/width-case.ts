/**
 * One generation in a process of its own, so that its peak memory is its own:
 * node dist/bench/width-case.js <input bits>. Prints JSON.
 */
import { resourceUsage } from "node:process";
import { generate } from "../gen/generate.js";

const bits = Number(process.argv[2]);
const started = performance.now();
const generation = generate({
  function: "sigmoid",
  in: `s4.${bits - 4}`,
  out: "u1.15",
  maxError: "2^-10",
  method: "optimal",
});
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    inputBits: bits,
    codes: 2 ** bits,
    segments: generation.design.y.breakpoints.length,
    seconds: Number(seconds.toFixed(3)),
    peakRssMB: Math.round(resourceUsage().maxRSS / 1024),
  }),
);
