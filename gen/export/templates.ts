import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import { TEMPLATE_DIR } from "../paths.js";

/**
 * Renders the exports' templates (templates/vhdl, templates/c, templates/numpy) like
 * rtl/render.ts renders the Verilog: an isolated Handlebars instance per language, no
 * HTML escaping, missing fields are errors, no helpers beyond if/each/unless; a
 * template error names its template. Each language's partials live in its own
 * `partials/` folder, so no name is shared with the Verilog partials.
 */
const OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true } as const;

const instances = new Map<
  string,
  { hbs: typeof Handlebars; compiled: Map<string, HandlebarsTemplateDelegate> }
>();

function instance(language: string): {
  hbs: typeof Handlebars;
  compiled: Map<string, HandlebarsTemplateDelegate>;
} {
  let found = instances.get(language);
  if (!found) {
    const hbs = Handlebars.create();
    const partials = join(TEMPLATE_DIR, language, "partials");
    let files: string[] = [];
    try {
      files = readdirSync(partials).sort();
    } catch {
      // a language without partials
    }
    for (const file of files) {
      if (file.endsWith(".hbs")) {
        hbs.registerPartial(
          basename(file, ".hbs"),
          hbs.compile(readFileSync(join(partials, file), "utf8"), OPTIONS),
        );
      }
    }
    found = { hbs, compiled: new Map() };
    instances.set(language, found);
  }
  return found;
}

/** Renders templates/<language>/<name> with a view model. */
export function renderExport(language: string, name: string, view: object): string {
  const { hbs, compiled } = instance(language);
  let template = compiled.get(name);
  if (!template) {
    template = hbs.compile(readFileSync(join(TEMPLATE_DIR, language, name), "utf8"), OPTIONS);
    compiled.set(name, template);
  }
  try {
    return template(view);
  } catch (error) {
    throw new Error(`template ${language}/${name}: ${(error as Error).message}`);
  }
}
