/**
 * Names of a sweep directory's own files, apart so that `pwlgen explore` can check a
 * directory without loading the sweep's machinery (worker pool, plotting).
 */
/** The marker: says pwlgen sweep wrote the directory, and which shard (run.ts). */
export const MARKER = ".pwlgen-sweep.json";
/** The explorer page (explorer.ts). */
export const EXPLORER_FILE = "index.html";
