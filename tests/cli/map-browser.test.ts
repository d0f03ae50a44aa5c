import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { archlint, assertBuilt, DEMO, TMP_ROOT } from "./helpers.js";

/**
 * `archlint map --format html` in a real browser: Debian's `chromium`, driven by playwright-core
 * (which downloads no browser of its own). The page of the demo app is opened from disk, an
 * endpoint searched for and opened, its model clicked through to, and a screenshot written to
 * tests/.tmp/map-browser/ (the test prints where). The browser is CHROMIUM_PATH, else `chromium`
 * (or `chromium-browser`) on the PATH; without one the test skips and says why (.ci/run installs
 * Debian's package where it can).
 */

function findChromium(): { path: string | null; why: string } {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return fs.existsSync(configured) ? { path: configured, why: "" } : { path: null, why: `CHROMIUM_PATH=${configured} does not exist` };
  for (const name of ["chromium", "chromium-browser"]) {
    const found = spawnSync("which", [name], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim()) return { path: found.stdout.trim(), why: "" };
  }
  return { path: null, why: "no Chromium: CHROMIUM_PATH is not set and neither `chromium` nor `chromium-browser` is on the PATH (apt-get install chromium)" };
}

const chromium = findChromium();
if (!chromium.path) console.warn(`map-browser.test.ts skipped: ${chromium.why}`);

const OUT = path.join(TMP_ROOT, "map-browser");

describe.skipIf(!chromium.path)("archlint map --format html in headless Chromium", () => {
  beforeAll(() => assertBuilt());

  it("opens the demo's page from disk with no network, finds an endpoint by search, opens it and clicks through to its model", async () => {
    const run = archlint(["map", "--format", "html"], DEMO);
    expect(run.code).toBe(0);
    fs.mkdirSync(OUT, { recursive: true });
    const page = path.join(OUT, "map.html");
    fs.writeFileSync(page, run.stdout);

    const { chromium: launcher } = await import("playwright-core");
    // --no-sandbox: CI and this machine run as root, where Chromium's sandbox refuses to start.
    const browser = await launcher.launch({ executablePath: chromium.path!, headless: true, args: ["--no-sandbox"] });
    try {
      const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const requests: string[] = [];
      const errors: string[] = [];
      tab.on("request", (r) => requests.push(r.url()));
      tab.on("pageerror", (e) => errors.push(e.message));
      tab.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await tab.goto(pathToFileURL(page).href);

      const rows = () => tab.locator("tr.row").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")));
      expect(await rows()).toHaveLength(34);
      await tab.locator("#search").fill("post.by");
      expect(await rows()).toEqual(["trpc:post.byId", "trpc:post.bySlug"]);
      expect(await tab.locator("#count").textContent()).toBe("2 of 34 endpoints");

      await tab.locator('tr.row[data-id="trpc:post.byId"]').click();
      const detail = tab.locator("#detail");
      expect(await detail.locator("h2").textContent()).toBe("post.byId");
      expect(await detail.textContent()).toContain("PostService.findById (depth 1) src/server/services/post.service.ts:");
      // The graph is laid out by the browser: endpoint, 3 services, 2 models, each a box with a size.
      const boxes = await detail.locator("svg rect").evaluateAll((rects) => rects.map((r) => (r as SVGGraphicsElement).getBBox().width));
      expect(boxes).toHaveLength(6);
      expect(boxes.every((w) => w > 0)).toBe(true);
      expect(await tab.locator("tr.row.selected").getAttribute("data-id")).toBe("trpc:post.byId");

      await detail.locator('a.model[data-model="Post"]').click();
      expect(await detail.locator("h2").textContent()).toBe("Post");
      expect(await detail.textContent()).toContain("author -> User (authorId)");
      await tab.screenshot({ path: path.join(OUT, "post-model.png"), fullPage: true });

      // An endpoint that runs an Effect lists the run with its error types.
      await tab.locator("#search").fill("billing.invoice");
      await tab.locator('tr.row[data-id="trpc:billing.invoice"]').click();
      expect(await detail.textContent()).toContain(
        "runPromise in billing.invoice: can fail with InvoiceNotFound, LedgerError src/server/effect/billing.router.ts:13",
      );
      await tab.screenshot({ path: path.join(OUT, "billing-invoice.png"), fullPage: true });

      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
      console.log(`map-browser.test.ts: screenshots in ${OUT}`);
    } finally {
      await browser.close();
    }
    // The screenshots are PNGs of a rendered page (not an empty one).
    for (const shot of ["post-model.png", "billing-invoice.png"]) {
      const bytes = fs.readFileSync(path.join(OUT, shot));
      expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(bytes.length).toBeGreaterThan(20_000);
    }
  });
});
