import { existsSync, lstatSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { FILE_LIMITS, readUserFile } from "../gen/input/files.js";
import { TOOL_NAME } from "../gen/paths.js";
import { MANIFEST, manifestSchema, parseManifest, readManifest } from "../gen/report/manifest.js";
import { UserError } from "../gen/spec/errors.js";

/** What a simulator needs from a unit directory, read from its manifest.json. */
export interface UnitOnDisk {
  readonly dir: string;
  readonly module: string;
  /** The Verilog module and testbench; absent in a unit written with --hdl vhdl. */
  readonly moduleFile?: string;
  readonly testbenchFile?: string;
  /** The VHDL entity and testbench; present in a unit written with --hdl vhdl or both. */
  readonly vhdlModuleFile?: string;
  readonly vhdlTestbenchFile?: string;
  readonly vectorsFile: string;
  /** The spec hash every file of the unit carries. */
  readonly specHash: string;
  readonly vectorCount: number;
  /** Pipeline stages: the testbench takes about one clock per vector and stage. */
  readonly latency: number;
}

/** The part of manifest.json a simulator reads (the rest is for other readers). */
const unitManifest = manifestSchema.pick({
  tool: true,
  module: true,
  files: true,
  vectors: true,
  latency: true,
  specHash: true,
});

/**
 * A unit directory written by pwlgen gen, with its module file present (every reader
 * needs it). Any problem is a one-line UserError naming the directory, or the manifest
 * field and its value.
 */
export function readUnit(dir: string): UnitOnDisk {
  const root = resolve(dir);
  if (!existsSync(root)) throw new UserError("DIR", dir, "does not exist");
  if (!statSync(root).isDirectory()) {
    throw new UserError("DIR", dir, "is not a directory; give a directory written by pwlgen gen");
  }
  const path = join(root, MANIFEST);
  if (!existsSync(path)) {
    throw new UserError("DIR", dir, "has no manifest.json, so it is not a unit written by pwlgen gen");
  }
  const data = readManifest(path, "DIR");
  const parsed = parseManifest(unitManifest, data, path);
  if (!parsed) {
    throw new UserError(
      "DIR",
      dir,
      `has a manifest.json that ${TOOL_NAME} gen did not write (its tool.name is not "${TOOL_NAME}")`,
    );
  }
  const { module, files, specHash, vectors, latency } = parsed;
  const unit: UnitOnDisk = {
    dir: root,
    module,
    ...(files.module ? { moduleFile: files.module } : {}),
    ...(files.testbench ? { testbenchFile: files.testbench } : {}),
    ...(files.vhdlModule ? { vhdlModuleFile: files.vhdlModule } : {}),
    ...(files.vhdlTestbench ? { vhdlTestbenchFile: files.vhdlTestbench } : {}),
    vectorsFile: files.vectors,
    specHash,
    vectorCount: vectors.count,
    latency,
  };
  requireUnitFiles(unit, [
    ...(unit.moduleFile ? ["module" as const] : []),
    ...(unit.vhdlModuleFile ? ["vhdlModule" as const] : []),
  ]);
  return unit;
}

const ROLES = {
  module: "moduleFile",
  testbench: "testbenchFile",
  vhdlModule: "vhdlModuleFile",
  vhdlTestbench: "vhdlTestbenchFile",
  vectors: "vectorsFile",
} as const;
export type Role = keyof typeof ROLES;

/** What each role is, for the message when a unit has none. */
const ROLE_TEXT: Record<Role, string> = {
  module: "Verilog module",
  testbench: "Verilog testbench",
  vhdlModule: "VHDL entity",
  vhdlTestbench: "VHDL testbench",
  vectors: "vectors file",
};

/** The unit's file of a role, or a UserError saying the unit was written without it. */
export function unitFileName(unit: UnitOnDisk, role: Role, why = ""): string {
  const name = unit[ROLES[role]];
  if (name !== undefined) return name;
  const hdl = role === "vhdlModule" || role === "vhdlTestbench" ? "vhdl or both" : "verilog or both";
  throw new UserError(
    "DIR",
    unit.dir,
    `has no ${ROLE_TEXT[role]} (its manifest.json names none)${why}; regenerate the unit with pwlgen gen --hdl ${hdl}`,
  );
}

/**
 * Refuses a unit whose manifest names a file that is not there (deleted or renamed by
 * hand), or that is not a regular file of the directory: a symbolic link could lead out.
 */
export function requireUnitFiles(unit: UnitOnDisk, roles: readonly Role[]): void {
  for (const role of roles) {
    const name = unitFileName(unit, role);
    const path = join(unit.dir, name);
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats) {
      throw new UserError(
        "DIR",
        unit.dir,
        `has no ${name} (the ${role} file its manifest.json names); regenerate the unit with pwlgen gen`,
      );
    }
    if (!stats.isFile()) {
      throw new UserError(
        `${join(unit.dir, MANIFEST)}: files.${role}`,
        name,
        stats.isSymbolicLink()
          ? "is a symbolic link; a unit's files are regular files in its directory"
          : "is not a regular file; regenerate the unit with pwlgen gen",
      );
    }
  }
}

/** The unit's file of a role, read through one descriptor that refuses a symbolic link. */
export function readUnitFile(unit: UnitOnDisk, role: Role, head?: number): string {
  const name = unitFileName(unit, role);
  return readUserFile(join(unit.dir, name), {
    field: `${join(unit.dir, MANIFEST)}: files.${role}`,
    value: name,
    limit: role === "vectors" ? FILE_LIMITS.vectors : FILE_LIMITS.verilog,
    noFollow: true,
    ...(head === undefined ? {} : { headBytes: head }),
  });
}

/** `// spec hash <hex>` in Verilog and the vectors, `-- spec hash <hex>` in VHDL. */
const SPEC_HASH = /^(?:\/\/|--) spec hash ([0-9a-f]{64})$/m;

/**
 * The spec hash each file carries in its header (`// spec hash <hex>`) must be the
 * manifest's: a directory that mixes the Verilog, testbench or vectors of different
 * designs is refused before it could pass against the wrong vectors.
 */
export function checkSpecHashes(unit: UnitOnDisk, texts: Readonly<Partial<Record<Role, string>>>): void {
  for (const role of Object.keys(texts) as Role[]) {
    const name = unitFileName(unit, role);
    const carried = SPEC_HASH.exec(texts[role] ?? "")?.[1];
    if (carried === undefined) {
      throw new UserError(
        "DIR",
        unit.dir,
        `has a ${name} without a "// spec hash" line (written by hand, or by an older pwlgen); regenerate the unit with pwlgen gen`,
      );
    }
    if (carried !== unit.specHash) {
      throw new UserError(
        "DIR",
        unit.dir,
        `mixes files of different designs: ${name} carries spec hash ${carried.slice(0, 12)}..., manifest.json ${unit.specHash.slice(0, 12)}...; regenerate the unit with pwlgen gen`,
      );
    }
  }
}
