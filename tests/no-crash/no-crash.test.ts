import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Linter } from "eslint";
import * as tsParser from "@typescript-eslint/parser";
import plugin from "eslint-plugin-archlint";
import { collectFixtureFiles, excerpt, FIXTURES, isPrismaFile, isSqlFile, makeTmpRoot, mirrorSchemaProject, projectRootOf, ROOT } from "./helpers.js";
import { HOSTILE_MUTATION_KINDS, MUTATION_KINDS, variantsOf, type Variant } from "./mutate.js";

/**
 * No rule may throw, whatever the input: every fixture file (and ~40 deterministic mutations of it:
 * truncations at token boundaries, dropped tokens, duplicated and dropped lines) is linted with
 * every syntax-only rule of the plugin (`plugin.configs.all`, type-aware rules left out because no
 * type information is given here). A rule that throws makes `Linter#verify` throw; so does a throw in
 * the `archlint/prisma` or `archlint/sql` language's parse. Mutations that no longer parse (TS
 * syntax errors, schemas Prisma rejects, SQL Postgres rejects) come back as fatal messages:
 * expected, counted, not failures. SQL migrations get mutations of their own on top (NUL bytes, a
 * BOM and lone CRs mid-text, parentheses nested past the parser's limits, lines of 100+ KB): they
 * go through Postgres's C parser compiled to WebAssembly.
 *
 * Reproduce one variant: ARCHLINT_NO_CRASH_ONLY="fixtures/demo-app/src/server/trpc.ts#12" npx vitest run tests/no-crash
 * (the failure message names the file, the variant index, its kind and seed, and where its full
 * text was written).
 */

type RuleMeta = { meta: { docs?: { requiresTypeChecking?: boolean }; languages?: string[] } };
type FlatConfig = Linter.Config & { language?: string };

const allRules = plugin.rules as unknown as Record<string, RuleMeta>;
const typedRuleIds = Object.keys(allRules).filter((id) => allRules[id]!.meta.docs?.requiresTypeChecking === true);
const syntaxRuleIds = Object.keys(allRules).filter((id) => !typedRuleIds.includes(id));
const isPrismaRule = (id: string): boolean => allRules[id]!.meta.languages?.includes("archlint/prisma") ?? false;
const isSqlRule = (id: string): boolean => allRules[id]!.meta.languages?.includes("archlint/sql") ?? false;

/** `plugin.configs.all` without the type-aware rules and the project service, code parsed by @typescript-eslint/parser. */
const syntaxOnlyConfig: FlatConfig[] = (plugin.configs.all as FlatConfig[]).map((config) => {
  const rules = Object.fromEntries(Object.entries(config.rules ?? {}).filter(([id]) => !typedRuleIds.includes(id.replace(/^archlint\//u, ""))));
  if (config.language === "archlint/prisma" || config.language === "archlint/sql") return { ...config, rules };
  const { projectService: _service, project: _project, ...parserOptions } = (config.languageOptions?.parserOptions ?? {}) as Record<string, unknown>;
  return { ...config, rules, languageOptions: { ...config.languageOptions, parser: tsParser as Linter.Parser, parserOptions } };
});

const VARIANTS_PER_FILE = 40;
/** Keeps the run well under a minute on 2 cores however many fixtures are added (~2.5 ms a variant today). */
const MAX_TOTAL_VARIANTS = 4000;
const MAX_REPORTED_CRASHES = 5;

const files = collectFixtureFiles();
/** ARCHLINT_NO_CRASH_VARIANTS=<n> for a longer soak run (no total cap then). */
const soak = Number(process.env.ARCHLINT_NO_CRASH_VARIANTS) || 0;
const variantsPerFile = soak > 0 ? soak : Math.max(4, Math.min(VARIANTS_PER_FILE, Math.floor(MAX_TOTAL_VARIANTS / Math.max(1, files.length))));
const only = process.env.ARCHLINT_NO_CRASH_ONLY?.split("#") as [string, string?] | undefined;
/** ARCHLINT_NO_CRASH_SEED=<s> draws other variants of every file (`pnpm fuzz -- --seed s`). */
const salt = process.env.ARCHLINT_NO_CRASH_SEED ?? "";
/** A variant that takes longer than this to lint is a hang. */
const HANG_MS = 30_000;
const selected = only ? files.filter((f) => path.relative(ROOT, f) === only[0]) : files;

const totals = {
  files: 0,
  prismaFiles: 0,
  sqlFiles: 0,
  codeFiles: 0,
  originalsFatal: [] as string[],
  variantsGenerated: 0,
  variantsLinted: 0,
  parseFailuresSkipped: 0,
  prismaVariantsLinted: 0,
  sqlVariantsLinted: 0,
  codeVariantsLinted: 0,
  findings: 0,
  demoRelationIndexFindings: 0,
  /** rule id -> findings on the demo's Supabase migrations. */
  demoSqlFindings: new Map<string, number>(),
  /** rule id -> number of files or variants it ran on (create() called). */
  ruleRuns: new Map<string, number>(),
  byKind: new Map<string, { linted: number; fatal: number }>(),
  crashes: 0,
  hangs: [] as string[],
};

let tmpRoot: string;
const linters = new Map<string, Linter>();
const mirrors = new Map<string, string>();
const started = Date.now();

function linterFor(cwd: string): Linter {
  let linter = linters.get(cwd);
  if (!linter) linters.set(cwd, (linter = new Linter({ cwd, configType: "flat" })));
  return linter;
}

function lint(filename: string, text: string, cwd: string): Linter.LintMessage[] {
  const linter = linterFor(cwd);
  // ESLint asks ruleFilter about each configured rule right before creating it, and only once the
  // file parsed: a cheap way to know which rules really ran. (`stats: true` needs verifyAndFix.)
  // (It is asked again when disable directives are applied, hence the set.)
  const ran = new Set<string>();
  const ruleFilter = ({ ruleId }: { ruleId: string }): boolean => {
    ran.add(ruleId);
    return true;
  };
  // `ruleFilter` is a Linter#verify option (lib/linter/linter.js VerifyOptions) missing from the typings.
  const options = { filename, ruleFilter } as Linter.LintOptions;
  const messages = linter.verify(text, syntaxOnlyConfig as Linter.Config[], options);
  for (const id of ran) totals.ruleRuns.set(id, (totals.ruleRuns.get(id) ?? 0) + 1);
  const unmatched = messages.find((m) => m.ruleId === null && /No matching configuration/u.test(m.message));
  if (unmatched) throw new Error(`Test setup: ${unmatched.message} (cwd ${cwd})`);
  return messages;
}

function describeCrash(error: unknown, rel: string, variant: Variant | null, text: string): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const ruleId =
    (err as { ruleId?: string }).ruleId ??
    /Rule: "([^"]+)"/u.exec(err.message)?.[1] ??
    "(none: thrown outside a rule, e.g. in the archlint/prisma or archlint/sql parser)";
  const line = Number(/Occurred while linting .*:(\d+)\s*(?:\n|$)/u.exec(err.message)?.[1] ?? 0);
  const ext = path.extname(rel);
  const dump = path.join(tmpRoot, "crashes", `${rel.replace(/[\\/]/gu, "__")}.${variant ? `variant-${variant.index}` : "original"}${ext}`);
  fs.mkdirSync(path.dirname(dump), { recursive: true });
  fs.writeFileSync(dump, text);
  const where = variant
    ? `variant #${variant.index} (${variant.kind}, seed ${variant.seed}; ARCHLINT_NO_CRASH_ONLY="${rel}#${variant.index}")`
    : "unmutated file";
  const stack = (err.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /u.test(l))
    .slice(0, 6)
    .join("\n");
  return [
    `Rule ${ruleId} crashed on ${rel}, ${where}`,
    `  ${err.message.split("\n").join("\n  ")}`,
    stack,
    `Full text written to ${dump}. ${line ? `Around line ${line}` : "First lines"}:`,
    line ? excerpt(text, line - 3, line + 3) : excerpt(text, 1, 12),
  ].join("\n");
}

beforeAll(() => {
  tmpRoot = makeTmpRoot();
});

afterAll(() => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const kinds = [...totals.byKind].map(([k, v]) => `${k} ${v.linted}/${v.linted + v.fatal}`).join(", ");
  console.log(
    [
      `no-crash: ${totals.files} files (${totals.prismaFiles} .prisma, ${totals.sqlFiles} .sql, ${totals.codeFiles} code), ${variantsPerFile} variants/file max`,
      `  variants: ${totals.variantsGenerated} generated, ${totals.variantsLinted} linted past parsing (${totals.prismaVariantsLinted} prisma, ${totals.sqlVariantsLinted} sql, ${totals.codeVariantsLinted} code), ${totals.parseFailuresSkipped} parse failures skipped`,
      `  linted/generated by kind: ${kinds}`,
      `  rules run (files+variants): ${[...totals.ruleRuns].map(([id, n]) => `${id} ${n}`).join(", ")}`,
      `  type-aware rules skipped in this syntax-only pass: ${typedRuleIds.join(", ") || "none"}`,
      `  unmutated files that do not parse (expected for invalid-schema fixtures): ${totals.originalsFatal.join(", ") || "none"}`,
      `  findings ${totals.findings}, crashes ${totals.crashes}, hangs (> ${HANG_MS / 1000}s) ${totals.hangs.length}${totals.hangs.length ? `: ${totals.hangs.join("; ")}` : ""}, ${seconds}s`,
    ].join("\n"),
  );
  // Crash dumps are kept for inspection; everything else goes.
  if (totals.crashes === 0) fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe("no rule crashes on fixtures and their mutations", () => {
  it("the syntax-only config enables every rule that needs no type information", () => {
    const enabled = syntaxOnlyConfig.flatMap((c) => Object.keys(c.rules ?? {})).sort();
    expect(enabled).toEqual(syntaxRuleIds.map((id) => `archlint/${id}`).sort());
    expect(syntaxOnlyConfig.some((c) => (c.languageOptions?.parserOptions as { projectService?: unknown } | undefined)?.projectService)).toBe(false);
  });

  it.each(selected.map((f) => [path.relative(ROOT, f), f] as const))("%s", (rel, file) => {
    const original = fs.readFileSync(file, "utf8");
    const prisma = isPrismaFile(file);
    const sql = isSqlFile(file);
    const root = projectRootOf(file);
    totals.files++;
    if (prisma) totals.prismaFiles++;
    else if (sql) totals.sqlFiles++;
    else totals.codeFiles++;
    const crashes: string[] = [];

    // The file itself, under its real name, so .prisma files find their real schema.
    if (!only?.[1]) {
      try {
        const messages = lint(file, original, root);
        if (messages.some((m) => m.fatal)) totals.originalsFatal.push(rel);
        totals.findings += messages.filter((m) => m.ruleId).length;
        if (rel === path.join("fixtures", "demo-app", "prisma", "schema.prisma")) {
          totals.demoRelationIndexFindings += messages.filter((m) => m.ruleId === "archlint/prisma-relation-index").length;
        }
        if (sql && rel.startsWith(path.join("fixtures", "demo-app", "supabase"))) {
          for (const m of messages) if (m.ruleId) totals.demoSqlFindings.set(m.ruleId, (totals.demoSqlFindings.get(m.ruleId) ?? 0) + 1);
        }
      } catch (error) {
        totals.crashes++;
        crashes.push(describeCrash(error, rel, null, original));
      }
    }

    // Mutated .prisma text goes into a temp copy of the project's schema files; code and migrations
    // keep their real path (rules that follow imports read the real neighbours, and a migration's
    // history reads the other migrations of its folder from disk and the linted one from its text).
    let target = file;
    let cwd = root;
    if (prisma) {
      let mirror = mirrors.get(root);
      if (!mirror) mirrors.set(root, (mirror = mirrorSchemaProject(root, tmpRoot)));
      target = path.join(mirror, path.relative(root, file));
      cwd = mirror;
    }

    const variants = variantsOf(original, salt ? `${rel}#${salt}` : rel, variantsPerFile, HOSTILE_MUTATION_KINDS).filter(
      (v) => !only?.[1] || v.index === Number(only[1]),
    );
    totals.variantsGenerated += variants.length;
    for (const variant of variants) {
      if (prisma) fs.writeFileSync(target, variant.text);
      const kind = totals.byKind.get(variant.kind) ?? { linted: 0, fatal: 0 };
      totals.byKind.set(variant.kind, kind);
      try {
        const lintStart = Date.now();
        const messages = lint(target, variant.text, cwd);
        if (Date.now() - lintStart > HANG_MS)
          totals.hangs.push(`${rel}#${variant.index} (${variant.kind}, seed ${variant.seed}): ${Date.now() - lintStart} ms`);
        if (messages.some((m) => m.fatal)) {
          totals.parseFailuresSkipped++;
          kind.fatal++;
          continue;
        }
        kind.linted++;
        totals.variantsLinted++;
        if (prisma) totals.prismaVariantsLinted++;
        else if (sql) totals.sqlVariantsLinted++;
        else totals.codeVariantsLinted++;
        totals.findings += messages.filter((m) => m.ruleId).length;
      } catch (error) {
        totals.crashes++;
        crashes.push(describeCrash(error, rel, variant, variant.text));
      }
    }
    if (prisma) fs.writeFileSync(target, original);

    if (crashes.length > 0) {
      const shown = crashes.slice(0, MAX_REPORTED_CRASHES).join("\n\n");
      const more = crashes.length > MAX_REPORTED_CRASHES ? `\n\n... and ${crashes.length - MAX_REPORTED_CRASHES} more crashes on this file` : "";
      throw new Error(`${crashes.length} crash(es) linting ${rel}:\n\n${shown}${more}`);
    }
  });

  it("no variant took longer than 30 s to lint (a hang)", () => {
    expect(totals.hangs).toEqual([]);
  });

  it.skipIf(only !== undefined)("actually linted something: files, variants past parsing, every rule, demo findings", () => {
    expect(files.length, `no fixture files under ${FIXTURES}`).toBeGreaterThan(0);
    expect(totals.files).toBe(files.length);
    expect(totals.variantsGenerated).toBeGreaterThan(0);
    expect(totals.variantsLinted).toBeGreaterThan(0);
    if (syntaxRuleIds.some(isPrismaRule)) {
      expect(totals.prismaFiles).toBeGreaterThan(0);
      expect(totals.prismaVariantsLinted, "no mutated schema got past Prisma's validation").toBeGreaterThan(0);
    }
    if (syntaxRuleIds.some(isSqlRule)) {
      expect(totals.sqlFiles).toBeGreaterThan(0);
      expect(totals.sqlVariantsLinted, "no mutated migration still parsed").toBeGreaterThan(0);
      for (const kind of HOSTILE_MUTATION_KINDS.filter((k) => !MUTATION_KINDS.includes(k))) {
        expect((totals.byKind.get(kind)?.linted ?? 0) + (totals.byKind.get(kind)?.fatal ?? 0), `no ${kind} variant was generated`).toBeGreaterThan(0);
      }
      for (const id of syntaxRuleIds.filter(isSqlRule))
        expect(totals.demoSqlFindings.get(`archlint/${id}`) ?? 0, `${id} found nothing on the demo's migrations`).toBeGreaterThan(0);
    }
    if (syntaxRuleIds.some((id) => !isPrismaRule(id) && !isSqlRule(id))) {
      expect(totals.codeFiles).toBeGreaterThan(0);
      expect(totals.codeVariantsLinted, "no mutated code file still parsed").toBeGreaterThan(0);
    }
    // Every syntax-only rule was created on at least one file or variant.
    for (const id of syntaxRuleIds) expect(totals.ruleRuns.get(`archlint/${id}`) ?? 0, `archlint/${id} never ran`).toBeGreaterThan(0);
    expect(totals.demoRelationIndexFindings, "prisma-relation-index found nothing on the demo schema").toBeGreaterThan(0);
  });
});
