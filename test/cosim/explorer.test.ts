import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explorerPage, rebuildCommand } from "../../gen/sweep/explorer.js";
import type { SweepRow } from "../../gen/sweep/row.js";
import { browserRequired, findChromium } from "../support/browser.js";
import { runCli } from "../support/cli.js";

/**
 * The sweep explorer (index.html) in a real browser: the system's Chromium driven by
 * playwright-core, the page opened from disk. No console errors, no request but for the
 * sweep's own files, charts with one mark per point, sorting and filters that change the
 * rows, and a clicked point whose command rebuilds its unit (same spec hash).
 */
const executablePath = findChromium();
if (!executablePath) {
  const why = "no chromium on PATH (install it: apt-get install chromium, or set PWLGEN_CHROMIUM)";
  if (browserRequired()) throw new Error(`the explorer's browser test needs a browser: ${why}`);
  console.warn(`explorer browser tests skipped: ${why}`);
}

const root = mkdtempSync(join(tmpdir(), "pwlgen-explorer-"));
const sweepDir = join(root, "sweep");
let browser: Browser | undefined;
let rows: SweepRow[] = [];

/** One page of the browser, with every console error, page error and non-file request recorded. */
interface Watched {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(file: string): Promise<Watched> {
  // Offline: the page must work with networking off.
  const context = await browser!.newContext({ offline: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  await settled(page);
  return { page, errors, requests };
}

/** Waits until the charts have rendered what the page last asked for. */
async function settled(page: Page): Promise<void> {
  await page.waitForSelector("#points tbody tr", { state: "attached" });
  await page.waitForFunction("!document.body.dataset.busy");
}

const marks = (page: Page, chart: string) => page.locator(`#${chart}-chart g.points_marks path`).count();
const visibleIndices = async (page: Page): Promise<number[]> =>
  (
    await page
      .locator("#points tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-index")))
  ).map(Number);

/** The words of a command as a POSIX shell splits them (bare words and single quotes). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
  );
}

describe.skipIf(!executablePath)("the sweep explorer in Chromium", () => {
  beforeAll(async () => {
    const result = await runCli([
      ...["sweep", "--function", "sigmoid,tanh", "--max-error", "2^-6,2^-8,1e-3"],
      ...["--method", "optimal,uniform", "--in", "s3.7", "--out", "s2.8", "--jobs", "1"],
      ...["--out-dir", sweepDir],
    ]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    rows = JSON.parse(readFileSync(join(sweepDir, "sweep.json"), "utf8")) as SweepRow[];
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("renders offline: no console errors, no network, one chart mark per point, every row", async () => {
    const { page, errors, requests } = await open(join(sweepDir, "index.html"));
    const charted = rows.filter((r) => r.status === "ok" && r.errorsMax! > 0);
    expect(charted.length).toBeGreaterThanOrEqual(8);
    expect(await marks(page, "segments")).toBe(charted.length);
    expect(await marks(page, "cost")).toBe(charted.length);
    // Each function's panel marks its Pareto front.
    expect(await page.locator("#segments-chart g.front_marks path").count()).toBeGreaterThanOrEqual(2);
    expect(await visibleIndices(page)).toEqual(rows.map((r) => r.index));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it("sorting and a filter change the visible rows and marks", async () => {
    const { page, errors, requests } = await open(join(sweepDir, "index.html"));
    await page.click('#points th[data-field="segments"]');
    const bySegments = [...rows]
      .filter((r) => r.segments !== null)
      .sort((a, b) => a.segments! - b.segments! || a.index - b.index)
      .map((r) => r.index);
    const ascending = await visibleIndices(page);
    expect(ascending.slice(0, bySegments.length)).toEqual(bySegments);
    expect(ascending).not.toEqual(rows.map((r) => r.index));
    await page.click('#points th[data-field="segments"]');
    expect((await visibleIndices(page)).slice(0, bySegments.length)).toEqual(
      [...rows]
        .filter((r) => r.segments !== null)
        .sort((a, b) => b.segments! - a.segments! || a.index - b.index)
        .map((r) => r.index),
    );

    await page.selectOption('select[data-filter="function"]', "tanh");
    await settled(page);
    const tanh = rows.filter((r) => r.function === "tanh");
    expect((await visibleIndices(page)).sort((a, b) => a - b)).toEqual(tanh.map((r) => r.index));
    expect(await marks(page, "segments")).toBe(tanh.filter((r) => r.status === "ok").length);
    await page.selectOption('select[data-filter="method"]', "uniform");
    await settled(page);
    expect((await visibleIndices(page)).sort((a, b) => a - b)).toEqual(
      tanh.filter((r) => r.method === "uniform").map((r) => r.index),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it("a clicked point shows its command, which rebuilds a unit with the same spec hash", async () => {
    const { page, errors, requests } = await open(join(sweepDir, "index.html"));
    // The last mark is drawn on top of any it overlaps: the click lands on it.
    await page.locator("#segments-chart g.points_marks path").last().click();
    await settled(page);
    const index = Number(await page.locator("#detail").getAttribute("data-index"));
    const row = rows.find((r) => r.index === index)!;
    expect(row.status).toBe("ok");
    const command = (await page.locator("#detail-command").textContent())!;
    expect(command).toBe(rebuildCommand(row));
    expect(await page.locator("#detail-summary").textContent()).toContain(`spec hash ${row.specHash}`);
    expect(await page.locator("#detail-plot").getAttribute("src")).toBe(`${row.unit}/plot.svg`);
    expect(
      await page
        .locator("#detail-plot")
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    // The table highlights the same point.
    expect(await page.locator("#points tbody tr.selected").getAttribute("data-index")).toBe(String(index));

    // Run it, as printed, into a directory of the test's own.
    const words = shellWords(command);
    expect(words.slice(0, 2)).toEqual(["pwlgen", "gen"]);
    const outDir = join(root, "rebuilt");
    const at = words.indexOf("--out-dir");
    words.splice(at, 2, "--out-dir", outDir);
    const result = await runCli(words.slice(1));
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8")) as { specHash: string };
    expect(manifest.specHash).toBe(row.specHash);

    // A row click selects too.
    const other = rows.find((r) => r.status !== "ok") ?? rows[0]!;
    await page.click(`#points tbody tr[data-index="${other.index}"]`);
    await settled(page);
    expect(await page.locator("#detail-command").textContent()).toBe(rebuildCommand(other));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it("stays usable with 1,000 points", async () => {
    const template = rows.filter((r) => r.status === "ok");
    const many: SweepRow[] = Array.from({ length: 1000 }, (_, i) => {
      const base = template[i % template.length]!;
      const scale = 1 + (i % 97) / 100;
      return { ...base, index: i, errorsMax: base.errorsMax! * scale, segments: base.segments! + (i % 13) };
    });
    const file = join(root, "many.html");
    writeFileSync(file, explorerPage(many, []));
    const started = performance.now();
    const { page, errors, requests } = await open(file);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(await marks(page, "segments")).toBe(1000);
    expect(await page.locator("#points tbody tr").count()).toBe(1000);
    const sortStarted = performance.now();
    await page.click('#points th[data-field="errorsMax"]');
    await page.selectOption('select[data-filter="function"]', "sigmoid");
    await settled(page);
    expect(performance.now() - sortStarted).toBeLessThan(5_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });
});
