import { type PointOutcome, type PointTask, runPoint } from "./point.js";

/** Piscina worker: one sweep point per task. */
export default function (task: PointTask): Promise<PointOutcome> {
  return runPoint(task);
}
