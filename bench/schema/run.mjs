// Schema benchmark: archlint's Prisma relation-index check vs prisma-lint's
// require-field-index rule, on one large generated schema with known ground
// truth. Timing is whole-process (spawnSync), reported, never asserted.
//
//   pnpm bench:schema                 # builds, then runs this file
//   node bench/schema/run.mjs         # without rebuilding
//
// Environment:
//   ARCHLINT_BIN   archlint CLI script, absolute or relative to the repo root
//                  (default packages/cli/dist/bin.js); skipped if missing
//   BENCH_MODELS   number of models (default 300)
//   BENCH_SEED     generator seed (default 1)
//   BENCH_RUNS     measured runs per tool (default 7), after BENCH_WARMUP (default 1)
//   BENCH_VERIFY   set to 0 to skip the Prisma validation / ground-truth check
//
// Exit code is 0 unless something crashed (a tool died, or its output could
// not be parsed); slow or inaccurate results never fail the benchmark.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";
import { verifySchema } from "./verify.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const outDir = path.join(here, ".generated");
const schemaPath = path.join(outDir, "prisma", "schema.prisma");
const prismaLintConfigPath = path.join(outDir, ".prismalintrc.json");
const groundTruthPath = path.join(outDir, "ground-truth.json");

const ARCHLINT_RULE = "archlint/prisma-relation-index";
const PRISMA_LINT_RULE = "require-field-index";

const intEnv = (name, fallback, min) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
};

const MODELS = intEnv("BENCH_MODELS", 300, 1);
const SEED = intEnv("BENCH_SEED", 1, 0);
const RUNS = intEnv("BENCH_RUNS", 7, 1);
const WARMUP = intEnv("BENCH_WARMUP", 1, 0);
const VERIFY = process.env.BENCH_VERIFY !== "0";

let crashed = false;
const rel = (p) => path.relative(repoRoot, p) || ".";

// ------------------------------------------------------------------ generate

const generated = generate({ models: MODELS, seed: SEED });
const { text, unindexed, relations, modelRanges, stats } = generated;
const relationByLine = new Map(relations.map((r) => [r.line, r]));
const relationByFieldLine = new Map(relations.flatMap((r) => r.fieldLines.map((l) => [l, r])));
const relationKey = (r) => `${r.model}.${r.relationField}`;

fs.mkdirSync(path.dirname(schemaPath), { recursive: true });
fs.writeFileSync(schemaPath, text);
fs.writeFileSync(prismaLintConfigPath, JSON.stringify({ rules: { [PRISMA_LINT_RULE]: ["error", { forAllRelations: true }] } }, null, 2) + "\n");
fs.writeFileSync(groundTruthPath, JSON.stringify({ models: MODELS, seed: SEED, stats, unindexed }, null, 2) + "\n");

console.log(`schema benchmark: ${rel(schemaPath)}`);
console.log(
  `  ${stats.models} models, ${stats.lines} lines, ${(stats.bytes / 1024).toFixed(0)} KiB, ` +
    `${stats.relations} relations (${stats.compositeRelations} composite), ` +
    `${unindexed.length} without a covering index (ground truth, ${rel(groundTruthPath)})`,
);

if (VERIFY) {
  try {
    const v = verifySchema(text, unindexed);
    if (v.skipped) {
      console.log(`  prisma check: skipped (${v.reason})`);
    } else if (v.ok) {
      console.log(`  prisma check: valid; relationMode="prisma" index warnings = ${v.prismaWarningCount} = ground truth`);
    } else {
      console.log(
        `  prisma check: MISMATCH: ${v.errors.length} validation errors, ${v.relationModeErrors.length} ` +
          `errors with relationMode, ${v.prismaWarningCount} index warnings vs ${v.groundTruthCount} ground truth ` +
          `(lines only in Prisma: ${v.onlyPrisma.slice(0, 10).join(", ") || "-"}; ` +
          `only in ground truth: ${v.onlyTruth.slice(0, 10).join(", ") || "-"})`,
      );
    }
  } catch (err) {
    console.log(`  prisma check: failed to run (${err instanceof Error ? err.message : err})`);
  }
}
console.log("");

// ------------------------------------------------------------------ tools

/** Resolve a package's bin script so both tools are launched as `node <script>`. */
function resolvePrismaLintBin() {
  const pkgDir = path.join(repoRoot, "node_modules", "prisma-lint");
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.["prisma-lint"];
  return { script: fs.realpathSync(path.join(pkgDir, bin)), version: pkg.version };
}

const archlintBin = path.resolve(repoRoot, process.env.ARCHLINT_BIN || "packages/cli/dist/bin.js");

const tools = [];

if (fs.existsSync(archlintBin)) {
  tools.push({
    name: "archlint",
    args: [archlintBin, "schema", schemaPath, "--format", "json"],
    okStatus: [0, 1],
    parse: parseArchlint,
  });
} else {
  console.log(`archlint: CLI not found at ${rel(archlintBin)}; skipping the archlint side ` + `(run \`pnpm build\` or set ARCHLINT_BIN).`);
}

try {
  const { script, version } = resolvePrismaLintBin();
  tools.push({
    name: "prisma-lint",
    version,
    args: [script, "-c", prismaLintConfigPath, "-o", "json", "--no-color", schemaPath],
    okStatus: [0, 1], // 1 = violations found, 2 = prisma-lint itself failed
    parse: parsePrismaLint,
  });
} catch (err) {
  console.log(`prisma-lint: not installed (${err instanceof Error ? err.message : err}); skipping.`);
}

// ------------------------------------------------------------------ timing

// Output goes to files, not pipes: prisma-lint writes its report with
// console.error and then calls process.exit(), which cuts a piped stderr off
// at 64 KiB (the pipe buffer); file writes are synchronous and complete.
function runOnce(tool) {
  const outPath = path.join(outDir, `${tool.name}.stdout.txt`);
  const errPath = path.join(outDir, `${tool.name}.stderr.txt`);
  const outFd = fs.openSync(outPath, "w");
  const errFd = fs.openSync(errPath, "w");
  let ms;
  let res;
  try {
    const t0 = performance.now();
    res = spawnSync(process.execPath, tool.args, {
      cwd: repoRoot,
      stdio: ["ignore", outFd, errFd],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    ms = performance.now() - t0;
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(errFd);
  }
  res.stdout = fs.readFileSync(outPath, "utf8");
  res.stderr = fs.readFileSync(errPath, "utf8");
  return { ms, res };
}

function describeFailure(tool, res) {
  if (res.error) return `${tool.name} could not be started: ${res.error.message}`;
  if (res.signal) return `${tool.name} was killed by ${res.signal}`;
  if (!tool.okStatus.includes(res.status)) {
    const tail = (res.stderr || res.stdout || "").trim().split("\n").slice(-15).join("\n");
    return `${tool.name} exited with status ${res.status}:\n${tail}`;
  }
  return null;
}

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const results = [];
for (const tool of tools) {
  const times = [];
  let last = null;
  let failure = null;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const { ms, res } = runOnce(tool);
    failure = describeFailure(tool, res);
    if (failure) break;
    if (i >= WARMUP) times.push(ms);
    last = res;
  }
  if (failure) {
    crashed = true;
    console.log(`\n${failure}\n`);
    results.push({ tool, failed: true });
    continue;
  }
  let findings;
  try {
    findings = tool.parse(last);
  } catch (err) {
    crashed = true;
    console.log(`\n${tool.name}: could not parse its output (${err instanceof Error ? err.message : err})`);
    console.log((last.stdout || last.stderr || "").slice(0, 1000));
    results.push({ tool, failed: true });
    continue;
  }
  results.push({
    tool,
    times,
    median: median(times),
    min: Math.min(...times),
    findings,
    score: score(findings),
  });
}

// ------------------------------------------------------------------ parsing

function parseJsonLoose(s, what) {
  const trimmed = (s || "").trim();
  if (!trimmed) throw new Error(`empty ${what}`);
  try {
    return JSON.parse(trimmed);
  } catch {
    // tolerate log lines before the JSON document
    const start = trimmed.search(/^[[{]/m);
    if (start > 0) return JSON.parse(trimmed.slice(start));
    throw new Error(`${what} is not JSON`);
  }
}

/** Line -> model name, from the generator's block ranges. */
function modelAt(line) {
  let lo = 0;
  let hi = modelRanges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = modelRanges[mid];
    if (line < r.startLine) hi = mid - 1;
    else if (line > r.endLine) lo = mid + 1;
    else return r.model;
  }
  return null;
}

/**
 * archlint: ESLint JSON formatter output. A finding matches a relation when it
 * is in the same model and on the line of that relation's `@relation(`.
 */
function parseArchlint(res) {
  let data;
  try {
    data = parseJsonLoose(res.stdout, "stdout");
  } catch {
    data = parseJsonLoose(res.stderr, "stderr");
  }
  if (!Array.isArray(data)) throw new Error("expected an array of ESLint results");
  const messages = data.flatMap((file) => file.messages ?? []);
  const fatal = messages.filter((m) => m.fatal || m.ruleId == null);
  const ours = messages.filter((m) => m.ruleId === ARCHLINT_RULE);
  const flagged = new Map();
  const unmatched = [];
  let onFieldLine = 0;
  for (const m of ours) {
    const model = modelAt(m.line);
    const r = relationByLine.get(m.line);
    if (r && r.model === model) {
      flagged.set(relationKey(r), r);
    } else {
      if (relationByFieldLine.get(m.line)?.model === model) onFieldLine++;
      unmatched.push({ model, line: m.line, column: m.column, message: m.message });
    }
  }
  return {
    raw: ours.length,
    otherMessages: messages.length - ours.length - fatal.length,
    fatal: fatal.length,
    flagged,
    unmatched,
    notes: onFieldLine ? [`${onFieldLine} finding(s) are on an FK field line rather than the @relation( line; counted as unmatched`] : [],
  };
}

/**
 * prisma-lint: `-o json` prints {"violations": [...]} to stderr. It reports
 * per FK *field* (location = the field's line, message names the field), so a
 * relation counts as flagged when any of its FK fields is reported.
 */
function parsePrismaLint(res) {
  const data = parseJsonLoose(res.stderr || res.stdout, "stderr");
  const violations = (data.violations ?? []).filter((v) => v.ruleName === PRISMA_LINT_RULE);
  const flagged = new Map();
  const unmatched = [];
  const fieldHits = new Map(); // relationKey -> Set(field)
  for (const v of violations) {
    const line = v.location?.startLine;
    const field = /Field "([^"]+)"/.exec(v.message)?.[1];
    const r = relationByFieldLine.get(line);
    if (r && r.model === modelAt(line) && r.fields.includes(field)) {
      flagged.set(relationKey(r), r);
      if (!fieldHits.has(relationKey(r))) fieldHits.set(relationKey(r), new Set());
      fieldHits.get(relationKey(r)).add(field);
    } else {
      unmatched.push({ model: modelAt(line), line, message: v.message });
    }
  }
  return { raw: violations.length, fatal: 0, otherMessages: 0, flagged, unmatched, fieldHits, notes: [] };
}

function score(findings) {
  const truth = new Set(unindexed.map(relationKey));
  let found = 0;
  let falsePositive = 0;
  for (const key of findings.flagged.keys()) {
    if (truth.has(key)) found++;
    else falsePositive++;
  }
  return { found, missed: truth.size - found, falsePositive: falsePositive + findings.unmatched.length };
}

// ------------------------------------------------------------------ report

const fmt = (n) => (n === undefined || n === null || Number.isNaN(n) ? "-" : n.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);

const ok = results.filter((r) => !r.failed);
if (ok.length) {
  console.log(`timing: whole process, ${RUNS} runs after ${WARMUP} warm-up, node ${process.version}`);
  console.log(
    `${pad("tool", 14)}${padL("median ms", 10)}${padL("min ms", 9)}${padL("findings", 10)}` +
      `${padL(`found/${unindexed.length}`, 12)}${padL("missed", 8)}${padL("false+", 8)}`,
  );
  for (const r of ok) {
    console.log(
      `${pad(r.tool.name, 14)}${padL(fmt(r.median), 10)}${padL(fmt(r.min), 9)}${padL(r.findings.raw, 10)}` +
        `${padL(r.score.found, 12)}${padL(r.score.missed, 8)}${padL(r.score.falsePositive, 8)}`,
    );
  }
  const a = ok.find((r) => r.tool.name === "archlint");
  const p = ok.find((r) => r.tool.name === "prisma-lint");
  if (a && p) {
    console.log(`ratio archlint/prisma-lint: median ${(a.median / p.median).toFixed(2)}x, min ${(a.min / p.min).toFixed(2)}x` + ` (below 1 = archlint faster)`);
  }
  console.log(
    "\nfindings = raw messages of the rule; found/missed/false+ count relations against the ground truth" +
      "\n(archlint: matched on model + line of `@relation(`; prisma-lint: matched on model + FK field line," +
      "\n a relation counts as found if any of its FK fields is reported)",
  );

  // per-variant breakdown
  const variants = [...new Set(relations.map((r) => `${r.kind}:${r.variant}`))].sort();
  console.log("\nby relation shape (flagged / relations; * = no covering index in ground truth)");
  const header = `${pad("kind:variant", 32)}${padL("total", 6)}${padL("truth", 7)}` + ok.map((r) => padL(r.tool.name, 13)).join("");
  console.log(header);
  for (const v of variants) {
    const rs = relations.filter((r) => `${r.kind}:${r.variant}` === v);
    const bad = rs.filter((r) => !r.covered).length;
    const cols = ok.map((res) => {
      const n = rs.filter((r) => res.findings.flagged.has(relationKey(r))).length;
      return padL(n, 13);
    });
    console.log(`${pad(v + (bad ? " *" : ""), 32)}${padL(rs.length, 6)}${padL(bad, 7)}${cols.join("")}`);
  }

  for (const r of ok) {
    const extras = [];
    if (r.findings.fatal) extras.push(`${r.findings.fatal} fatal/parse message(s)`);
    if (r.findings.otherMessages) extras.push(`${r.findings.otherMessages} message(s) from other rules`);
    if (r.findings.unmatched.length) {
      extras.push(
        `${r.findings.unmatched.length} finding(s) matching no relation, e.g. ` +
          r.findings.unmatched
            .slice(0, 3)
            .map((u) => `${u.model ?? "?"}:${u.line} ${u.message}`)
            .join("; "),
      );
    }
    if (r.findings.fieldHits) {
      const composite = relations.filter((x) => x.kind === "composite");
      const partial = composite.filter((x) => {
        const hit = r.findings.fieldHits.get(relationKey(x));
        return hit && hit.size < x.fields.length;
      }).length;
      extras.push(`composite FKs: ${partial} of ${composite.length} flagged on only one of their two fields`);
    }
    extras.push(...r.findings.notes);
    if (extras.length) console.log(`\n${r.tool.name}: ${extras.join("\n  ")}`);
  }
}

if (crashed) {
  console.log("\nbenchmark incomplete: a tool crashed (see above)");
  process.exit(1);
}
