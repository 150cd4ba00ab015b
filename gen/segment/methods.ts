import { lsqGreedyMethod } from "./lsq-greedy.js";
import { optimalMethod } from "./optimal.js";
import type { MethodName, SegmentationMethod } from "./problem.js";
import { uniformMethod } from "./uniform.js";

/** Every segmentation method `--method` accepts. */
export const METHODS: Readonly<Record<MethodName, SegmentationMethod>> = {
  optimal: optimalMethod,
  "lsq-greedy": lsqGreedyMethod,
  uniform: uniformMethod,
};
