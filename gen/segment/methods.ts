import { lsqGreedyMethod } from "./lsq-greedy.js";
import { optimalMethod } from "./optimal.js";
import type { MethodName, SegmentationMethod } from "./problem.js";
import { indexMethod } from "./uniform.js";

/**
 * The segmentation of each --method but auto (which searches architectures with these,
 * design/choose.ts). Index methods take the number of index bits, or find the fewest.
 */
export function segmenter(method: Exclude<MethodName, "auto">, indexBits?: number): SegmentationMethod {
  switch (method) {
    case "optimal":
      return optimalMethod;
    case "lsq-greedy":
      return lsqGreedyMethod;
    case "uniform":
    case "grid":
      return indexMethod(method, indexBits);
  }
}
