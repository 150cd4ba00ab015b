import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import type { PwlDesign } from "../design/ir.js";
import { TEMPLATE_DIR } from "../paths.js";
import { moduleView, testbenchView } from "./view.js";

/**
 * Renders Verilog from the view models with an isolated, strict Handlebars instance:
 * no HTML escaping (it would corrupt Verilog), missing fields are errors, and no helpers
 * beyond the built-in if/each/unless. A template error names its template.
 */
const hbs = Handlebars.create();
const OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true } as const;

for (const file of readdirSync(join(TEMPLATE_DIR, "partials")).sort()) {
  if (file.endsWith(".hbs")) {
    hbs.registerPartial(basename(file, ".hbs"), hbs.compile(readTemplate(join("partials", file)), OPTIONS));
  }
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

function readTemplate(name: string): string {
  return readFileSync(join(TEMPLATE_DIR, name), "utf8");
}

export function renderTemplate(name: string, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = hbs.compile(readTemplate(name), OPTIONS);
    compiled.set(name, template);
  }
  try {
    return template(view);
  } catch (error) {
    throw new Error(`template ${name}: ${(error as Error).message}`);
  }
}

export function renderModule(design: PwlDesign): string {
  return renderTemplate("module.v.hbs", moduleView(design));
}

export function renderTestbench(design: PwlDesign, vectorFile: string, vectorCount: number): string {
  return renderTemplate("testbench.v.hbs", testbenchView(design, vectorFile, vectorCount));
}
