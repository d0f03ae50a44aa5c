// Checks a generated schema with Prisma's own validator (@prisma/internals,
// resolved through packages/core, which depends on it) and cross-checks the
// generator's ground truth against Prisma's relationMode = "prisma" warnings:
// with that mode Prisma warns on every relation whose FK fields are not the
// leading fields of some index, at the span of the `@relation(...)` attribute.
//
//   node bench/schema/verify.mjs [models] [seed]
//
// Exit code 0 when the schema is valid and the ground truth agrees with Prisma.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");

/** @returns {any | null} the @prisma/internals module, or null when it cannot be loaded */
export function loadPrismaInternals() {
  try {
    const require = createRequire(path.join(repoRoot, "packages", "core", "package.json"));
    return require("@prisma/internals");
  } catch {
    return null;
  }
}

function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * @param {string} text generated schema
 * @param {Array<{ model: string, line: number }>} unindexed ground truth
 * @param {any} [internals]
 */
export function verifySchema(text, unindexed, internals = loadPrismaInternals()) {
  if (!internals) return { skipped: true, reason: "could not load @prisma/internals via packages/core" };

  const diagnostics = internals.lintSchema({ schemas: [["schema.prisma", text]] });
  const errors = diagnostics.filter((d) => !d.is_warning);
  const warnings = diagnostics.filter((d) => d.is_warning);

  const withRelationMode = text.replace(
    /datasource db \{\n  provider = "postgresql"\n\}/,
    'datasource db {\n  provider     = "postgresql"\n  relationMode = "prisma"\n}',
  );
  if (withRelationMode === text) throw new Error("could not inject relationMode into the datasource block");
  const rmDiagnostics = internals.lintSchema({ schemas: [["schema.prisma", withRelationMode]] });
  const rmErrors = rmDiagnostics.filter((d) => !d.is_warning);
  const indexWarnings = rmDiagnostics.filter((d) => d.is_warning && /no foreign keys are used/.test(d.text) && /adding an index manually/.test(d.text));
  // relationMode adds two lines to the datasource block; shift back.
  const prismaLines = new Set(indexWarnings.map((d) => lineOf(withRelationMode, d.start) - 1));
  const truthLines = new Set(unindexed.map((u) => u.line));
  const onlyPrisma = [...prismaLines].filter((l) => !truthLines.has(l)).sort((a, b) => a - b);
  const onlyTruth = [...truthLines].filter((l) => !prismaLines.has(l)).sort((a, b) => a - b);

  return {
    skipped: false,
    errors,
    warnings,
    relationModeErrors: rmErrors,
    prismaWarningCount: indexWarnings.length,
    groundTruthCount: unindexed.length,
    onlyPrisma,
    onlyTruth,
    ok: errors.length === 0 && rmErrors.length === 0 && indexWarnings.length === unindexed.length && onlyPrisma.length === 0 && onlyTruth.length === 0,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const models = Number(process.argv[2] ?? 300);
  const seed = Number(process.argv[3] ?? 1);
  const { text, unindexed, stats } = generate({ models, seed });
  const t0 = performance.now();
  const result = verifySchema(text, unindexed);
  const ms = performance.now() - t0;
  if (result.skipped) {
    console.log(`skipped: ${result.reason}`);
    process.exit(1);
  }
  console.log(JSON.stringify(stats, null, 2));
  console.log(`prisma validation errors:           ${result.errors.length}`);
  for (const e of result.errors.slice(0, 10)) console.log(`  line ${lineOf(text, e.start)}: ${e.text}`);
  console.log(`prisma warnings (plain schema):     ${result.warnings.length}`);
  console.log(`errors with relationMode="prisma":  ${result.relationModeErrors.length}`);
  console.log(`relationMode index warnings:        ${result.prismaWarningCount}`);
  console.log(`ground truth unindexed:             ${result.groundTruthCount}`);
  console.log(`lines only in Prisma warnings:      ${result.onlyPrisma.join(", ") || "-"}`);
  console.log(`lines only in ground truth:         ${result.onlyTruth.join(", ") || "-"}`);
  console.log(`verification took ${ms.toFixed(0)} ms -> ${result.ok ? "OK" : "MISMATCH"}`);
  process.exit(result.ok ? 0 : 1);
}
