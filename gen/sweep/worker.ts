import { workerData } from "node:worker_threads";
import { manageChildren } from "../output/interrupt.js";
import { type PointOutcome, type PointTask, runPoint } from "./point.js";

/** The sweep's main thread manages the simulators its workers start (see output/interrupt.ts). */
if ((workerData as { manageChildren?: boolean } | undefined)?.manageChildren) manageChildren();

/** Piscina worker: one sweep point per task. */
export default function (task: PointTask): Promise<PointOutcome> {
  return runPoint(task);
}
