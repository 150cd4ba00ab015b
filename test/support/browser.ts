import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The system's Chromium for the browser tests (Debian's `chromium`, installed by .ci/run):
 * playwright-core drives it through executablePath, so no browser is downloaded.
 * PWLGEN_CHROMIUM names another binary.
 */
const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

export function findChromium(): string | undefined {
  const given = process.env.PWLGEN_CHROMIUM;
  if (given) return given;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of NAMES) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Whether a missing browser fails the tests rather than skipping them: in CI (CI, or
 * PWLGEN_REQUIRE_BROWSER set by .ci/run, which installs chromium), as a missing simulator does.
 */
export function browserRequired(): boolean {
  return Boolean(process.env.PWLGEN_REQUIRE_BROWSER || process.env.CI);
}
