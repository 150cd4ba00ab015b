import { existsSync, lstatSync, mkdirSync, realpathSync, rmdirSync, statSync, statfsSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { PACKAGE_ROOT } from "../paths.js";
import { UserError } from "../spec/errors.js";
import { announceTemporary } from "./interrupt.js";

/**
 * Where pwlgen may write. Output directories are replaced whole (gen, sweep merge) or
 * written into (sweep, train), so a mistyped --out-dir must never reach the user's own
 * files: these rules hold with --force too.
 *
 * - Never a directory that is, or holds, a protected place: the root, the home directory,
 *   the current directory, the system's temporary directory, pwlgen's own folder.
 * - Never the root's own directories (/usr, /home, /work) or a system directory's
 *   children (/usr/lib, /etc/ssl, /home/alice, /var/log).
 * - Never on a pseudo file system (/proc, /sys, /dev, cgroups...), where a directory
 *   cannot be made or means something else.
 * - Every name fits the file system (255 bytes a name, 4095 a path), checked before
 *   anything is created, and nothing is left behind when creating fails.
 */

/** Top-level directories whose children belong to the system or to other users. */
const SYSTEM_DIRECTORIES = new Set(
  "bin boot dev etc home lib lib32 lib64 libx32 media mnt opt proc root run sbin snap srv sys usr var".split(
    " ",
  ),
);

/** statfs types of pseudo file systems (linux/magic.h). */
const PSEUDO_FILE_SYSTEMS = new Set([
  0x9fa0, // proc
  0x62656572, // sysfs
  0x27e0eb, // cgroup
  0x63677270, // cgroup2
  0x64626720, // debugfs
  0x74726163, // tracefs
  0x73636673, // securityfs
  0x1cd1, // devpts
  0xcafe4a11, // bpf
  0x6165676c, // pstore
  0x62656570, // configfs
  0xde5e81e4, // efivarfs
  0x65735543, // fusectl
]);
const PSEUDO_TOPS = new Set(["proc", "sys", "dev"]);

const NAME_MAX = 255;
const PATH_MAX = 4095;

/** A path with symbolic links resolved, for the part of it that exists. */
export function realPath(target: string): string {
  const path = resolve(target);
  const existing = nearestExisting(path);
  return join(realpathSync(existing), relative(existing, path));
}

/** The path itself if it exists, else its nearest existing ancestor. */
function nearestExisting(path: string): string {
  let existing = path;
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return existing;
}

/** Whether something (a broken symbolic link too) is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `outer` is `inner` or a directory above it. */
export function containsOrIs(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Why pwlgen may not make, replace or write into the directory at `real`, if it may not. */
function protectedProblem(real: string): string | undefined {
  const parts = real.split(sep).filter(Boolean);
  if (parts.length === 0) return "is the root directory";
  if (PSEUDO_TOPS.has(parts[0]!) || onPseudoFileSystem(real)) {
    return "is on a pseudo file system (/proc, /sys, /dev), which holds no output";
  }
  const places: [string, string][] = [
    [homedir(), "the home directory"],
    [process.cwd(), "the current directory"],
    [tmpdir(), "the temporary directory"],
    [PACKAGE_ROOT, `${basename(PACKAGE_ROOT)}, pwlgen's own folder`],
  ];
  const resolved = places
    .map(([place, name]) => [safeRealPath(place), name] as const)
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined);
  // A protected place itself first (/tmp is the temporary directory, whatever it holds).
  for (const [path, name] of resolved) if (real === path) return `is ${name}`;
  for (const [path, name] of resolved) if (containsOrIs(real, path)) return `holds ${name} (${path})`;
  if (parts.length === 1) return "is a directory of the root";
  if (parts.length === 2 && SYSTEM_DIRECTORIES.has(parts[0]!)) {
    return `is a system directory (or another user's home)`;
  }
  return undefined;
}

function safeRealPath(path: string): string | undefined {
  try {
    return realPath(path);
  } catch {
    return undefined;
  }
}

function onPseudoFileSystem(path: string): boolean {
  try {
    return PSEUDO_FILE_SYSTEMS.has(statfsSync(nearestExisting(path)).type);
  } catch {
    return false;
  }
}

export interface OutputPlace {
  /** Absolute, with symbolic links resolved: where the directory is (or will be). */
  readonly path: string;
  /** Whether a directory is there already. */
  readonly exists: boolean;
}

/**
 * Checks a directory pwlgen is to create, replace or write into: not protected, names
 * that fit, not below a file, a directory if it exists. An existing symbolic link to a
 * directory is followed (its target is the output; the link stays).
 */
export function outputPlace(target: string, label = "--out-dir"): OutputPlace {
  const path = resolve(target);
  for (const name of path.split(sep)) {
    if (Buffer.byteLength(name) > NAME_MAX)
      throw new UserError(label, target, `has a name longer than ${NAME_MAX} bytes (${cut(name)})`);
  }
  if (Buffer.byteLength(path) > PATH_MAX)
    throw new UserError(label, target, `is longer than ${PATH_MAX} bytes as an absolute path`);
  let real: string;
  try {
    real = realPath(path);
  } catch (error) {
    throw new UserError(label, target, `cannot be resolved (${code(error)})`);
  }
  const problem = protectedProblem(real);
  if (problem) {
    throw new UserError(
      label,
      target,
      `${problem}; pwlgen never writes there, even with --force: give a directory of its own`,
    );
  }
  if (!exists(real)) {
    // The nearest existing ancestor must be a directory the target can be created in.
    const ancestor = nearestExisting(real);
    if (!statSync(ancestor).isDirectory())
      throw new UserError(label, target, `cannot be created: ${ancestor} is not a directory`);
    return { path: real, exists: false };
  }
  if (!statSync(real).isDirectory()) throw new UserError(label, target, "exists and is not a directory");
  return { path: real, exists: true };
}

/** Whether `path` is a mount point (a different device from its parent's). */
export function isMountPoint(path: string): boolean {
  return statSync(path).dev !== statSync(dirname(path)).dev;
}

/**
 * Creates the missing directories of `path` one at a time (a recursive mkdir spins on
 * some pseudo file systems), announcing each as a temporary so that an interrupt removes
 * it while it is empty. Returns them, outermost first; the caller keeps them (keep) or
 * removes them (remove) when its output is committed or abandoned.
 */
export function createDirectories(path: string, label = "--out-dir", target = path): CreatedDirectories {
  const missing: string[] = [];
  for (let dir = path; !exists(dir); dir = dirname(dir)) missing.unshift(dir);
  const created: string[] = [];
  const remove = (): void => {
    for (const dir of [...created].reverse()) {
      try {
        // rmdir removes only an empty directory: never anything a user put there meanwhile.
        rmdirSync(dir);
      } catch {
        // not empty, or gone
      }
      announceTemporary(dir, false);
    }
  };
  try {
    for (const dir of missing) {
      announceTemporary(dir, true, true);
      try {
        mkdirSync(dir);
        created.push(dir);
      } catch (error) {
        announceTemporary(dir, false);
        // Made meanwhile by another thread (a sweep's workers share points/): not ours to remove.
        if (code(error) !== "EEXIST" || !statSync(dir).isDirectory()) throw error;
      }
    }
  } catch (error) {
    remove();
    throw new UserError(label, target, `cannot be created (${code(error)})`);
  }
  return {
    created,
    keep: () => created.forEach((dir) => announceTemporary(dir, false)),
    remove,
  };
}

export interface CreatedDirectories {
  readonly created: readonly string[];
  keep(): void;
  remove(): void;
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "error";
}

/** A long name in a message: its start and end. */
function cut(name: string): string {
  return name.length > 40 ? `${name.slice(0, 20)}...${name.slice(-12)}` : name;
}

/**
 * Where an output goes when no --out-dir is given: rtl-out/<name> in the project the
 * command runs in (the nearest folder at or above the current one holding package.json or
 * .git, below the home directory), so a run from a subfolder (src/, gen/) does not leave
 * an rtl-out/ there; outside any project, in the current folder. Relative to the current
 * folder (`../rtl-out/sweep` from a subfolder), as the commands print it.
 */
export function defaultOutputDir(name: string): string {
  const cwd = process.cwd();
  const home = resolve(homedir());
  let root = cwd;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (dir === home || dirname(dir) === dir) break;
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, ".git"))) {
      root = dir;
      break;
    }
  }
  return join(relative(cwd, root), "rtl-out", name);
}
