import { workerData } from "node:worker_threads";
import { attachToSupervisor } from "../output/interrupt.js";
import { type PointOutcome, type PointTask, runPoint } from "./point.js";

/** Under the CLI's supervisor, this thread's programs and temporaries are its to stop (output/interrupt.ts). */
const control = (workerData as { control?: Int32Array } | undefined)?.control;
if (control) attachToSupervisor(control);

/** Piscina worker: one sweep point per task. */
export default function (task: PointTask): Promise<PointOutcome> {
  return runPoint(task);
}
