import fs from "node:fs";
import path from "node:path";
import { detect, type Detection, type PackageManager } from "./detect.js";
import { rethrowUnlessMissing, rethrowUnlessMissingOrMalformed } from "@archlint/core";

/**
 * `archlint init`: writes (or, with `--dry-run`, prints) an `eslint.config.mjs` with the preset
 * and the settings the project needs, the VS Code setting that lints `.prisma` files, and a
 * pre-commit hook. An existing file is never replaced without `--force`; an existing ESLint config
 * (or a settings file that cannot be merged) gets a snippet to merge by hand instead.
 */

export const HOOKS = ["pre-commit", "husky", "git", "none"] as const;
export type HookKind = (typeof HOOKS)[number];

export interface InitOptions {
  dryRun: boolean;
  force: boolean;
  hook: HookKind;
}

interface Io {
  stdout: (s: string) => void;
}

/** An input problem (`--hook git` without a repository): the CLI prints it as a usage error. */
export class InitError extends Error {
  override name = "InitError";
}

const DOCS = "https://github.com/archlint/archlint/blob/main/rules-docs";
const CODE_FILES = "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}";
/** The ESLint extension's default languages plus `prisma` (the Prisma extension's language id). */
export const ESLINT_VALIDATE = ["javascript", "javascriptreact", "typescript", "typescriptreact", "prisma"];

// ---------------------------------------------------------------------------------------------
// The ESLint config

function presetName(d: Detection): string {
  return d.typescript ? "recommended-type-checked" : "recommended";
}

function presetExpression(d: Detection): string {
  return d.typescript ? `archlint.configs["recommended-type-checked"]` : "archlint.configs.recommended";
}

const js = (value: string): string => JSON.stringify(value);
const list = (values: string[]): string => `[${values.map(js).join(", ")}]`;

/**
 * The lines of the config: imports, then the entries of the exported array (indented by two).
 * `esm` false gives CommonJS for an `eslint.config.cjs` that the snippet goes into.
 */
function configParts(d: Detection, esm: boolean): { head: string[]; entries: string[] } {
  const dirname = esm ? "import.meta.dirname" : "__dirname";
  const head: string[] = [];
  const schema = d.schema?.needsSetting ? d.schema.relative : null;
  if (schema) head.push(esm ? `import path from "node:path";` : `const path = require("node:path");`);
  head.push(esm ? `import archlint from "eslint-plugin-archlint";` : `const archlint = require("eslint-plugin-archlint").default;`);
  if (schema) {
    head.push("", "// The Prisma schema is not where Prisma looks by default; absolute, so any working directory finds it.");
    head.push(`const schema = path.join(${dirname}, ${js(schema)});`);
  }

  const entries: string[] = [`...${presetExpression(d)},`];
  if (d.typescript) {
    const outside = d.outsideTsconfig;
    // The project service allows only a few files outside every tsconfig (8 by default).
    const allow = outside.length <= 8 ? outside : [...new Set(outside.map((f) => `*${path.extname(f)}`))];
    const service = allow.length > 0 ? `projectService: { allowDefaultProject: ${list(allow)} }, ` : "";
    entries.push(
      "{",
      "  // typescript-eslint's project service finds each file's tsconfig.json; files at the top that",
      "  // no tsconfig.json includes (config files) are typed on their own.",
      `  files: [${js(CODE_FILES)}],`,
      `  languageOptions: { parserOptions: { ${service}tsconfigRootDir: ${dirname} } },`,
      "},",
    );
  }
  const settings: string[] = [];
  if (schema) settings.push("schema,");
  const { public: pub, protected: prot } = d.procedures;
  if (pub.length + prot.length > 0) {
    settings.push("// tRPC procedure builders found in the code: public ones are open to anonymous callers.");
    settings.push("procedures: {");
    if (pub.length > 0) settings.push(`  public: ${list(pub)},`);
    if (prot.length > 0) settings.push(`  protected: ${list(prot)},`);
    settings.push("},");
  }
  if (d.effect) {
    settings.push("// Effect: name your own helpers that run an Effect (a ManagedRuntime's runPromise wrapper, say):");
    settings.push('// effectRunners: ["runPromise"],');
  }
  if (settings.length > 0) {
    entries.push("{", "  settings: {", "    archlint: {", ...settings.map((l) => `      ${l}`), "    },", "  },", "},");
  }
  if (schema) {
    entries.push("// Tells ESLint's .prisma files where their schema is (archlint check reads settings.archlint.schema itself).");
    entries.push(`{ files: ["**/*.prisma"], languageOptions: { schema } },`);
  }
  return { head, entries };
}

export function eslintConfigText(d: Detection): string {
  const { head, entries } = configParts(d, true);
  const notes = [
    `// Written by \`archlint init\`: the ${presetName(d)} preset${d.fastify ? " (Fastify routes included)" : ""}.`,
    `// Rules and settings: ${DOCS}/README.md`,
  ];
  return [...notes, ...head, "", "export default [", ...entries.map((l) => `  ${l}`), "];", ""].join("\n");
}

/** What to add to a config the project already has. */
export function eslintConfigSnippet(d: Detection, configFile: string, packageType: string | undefined): string {
  const esm =
    configFile.endsWith(".mjs") ||
    configFile.endsWith(".mts") ||
    (!configFile.endsWith(".cjs") && !configFile.endsWith(".cts") && (packageType === "module" || configFile.endsWith(".ts")));
  const { head, entries } = configParts(d, esm);
  return [...head, "", "// ...and in the exported array, after your other configs:", ...entries.map((l) => `  ${l}`), ""].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Hooks, as rules-docs/pre-commit.md shows them

/** Runs the project's own archlint, never a download. */
function exec(pm: PackageManager): string {
  if (pm === "pnpm") return "pnpm exec archlint";
  if (pm === "yarn") return "yarn archlint";
  return "npx --no archlint";
}

function preCommitEntry(pm: PackageManager): string {
  return [
    "  - repo: local",
    "    hooks:",
    "      - id: archlint",
    "        name: archlint",
    `        entry: ${exec(pm)} check`,
    "        language: system",
    "        files: \\.(c|m)?(t|j)sx?$|\\.prisma$",
    "",
  ].join("\n");
}

function hookFile(kind: HookKind, pm: PackageManager): { file: string; text: string; mode?: number; line: string } | null {
  if (kind === "pre-commit") return { file: ".pre-commit-config.yaml", text: `repos:\n${preCommitEntry(pm)}`, line: preCommitEntry(pm) };
  const line = `${exec(pm)} check --staged`;
  if (kind === "husky") return { file: ".husky/pre-commit", text: `${line}\n`, line };
  if (kind === "git") {
    return {
      file: ".git/hooks/pre-commit",
      text: `#!/bin/sh\n# archlint: lint the files staged for this commit.\nexec ${line}\n`,
      mode: 0o755,
      line: `exec ${line}`,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Writing

type Outcome =
  | { kind: "write"; file: string; text: string; mode?: number; replaces: boolean }
  | { kind: "skip"; file: string; reason: string }
  | { kind: "snippet"; file: string; reason: string; snippet: string };

function exists(p: string): boolean {
  return fs.existsSync(p);
}

function readJsonObject(p: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(fs.readFileSync(p, "utf8")) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch (error) {
    rethrowUnlessMissingOrMalformed(error);
    return null;
  }
}

function planEslint(d: Detection, force: boolean): Outcome {
  const target = "eslint.config.mjs";
  const text = eslintConfigText(d);
  if (d.eslintConfig === null) return { kind: "write", file: target, text, replaces: false };
  if (d.eslintConfig === target && force) return { kind: "write", file: target, text, replaces: true };
  const pkg = readJsonObject(path.join(d.root, "package.json"));
  const why = d.eslintConfig === target ? "it exists (--force replaces it)" : "the project has its own ESLint config";
  return {
    kind: "snippet",
    file: d.eslintConfig,
    reason: `${why}; add archlint to it`,
    snippet: eslintConfigSnippet(d, d.eslintConfig, pkg?.type as string | undefined),
  };
}

function planVscode(d: Detection, force: boolean): Outcome | null {
  // The setting only makes the editor lint `.prisma` (and `.sql`) files: nothing to do without a schema or migrations.
  if (!d.schema && d.schemaCandidates.length === 0 && !d.sqlMigrations) return null;
  const wanted = d.sqlMigrations ? [...ESLINT_VALIDATE, "sql"] : ESLINT_VALIDATE;
  const file = ".vscode/settings.json";
  const abs = path.join(d.root, file);
  const fresh = `${JSON.stringify({ "eslint.validate": wanted }, null, 2)}\n`;
  if (!exists(abs)) return { kind: "write", file, text: fresh, replaces: false };
  const current = readJsonObject(abs);
  const validate = current?.["eslint.validate"];
  if (Array.isArray(validate) && wanted.every((v) => v.startsWith("javascript") || v.startsWith("typescript") || validate.includes(v)))
    return { kind: "skip", file, reason: d.sqlMigrations ? "already lints prisma and sql files" : "already lints prisma files" };
  const merged = [...new Set([...(Array.isArray(validate) ? (validate as unknown[]).filter((v): v is string => typeof v === "string") : []), ...wanted])];
  if (force && current) {
    return { kind: "write", file, text: `${JSON.stringify({ ...current, "eslint.validate": merged }, null, 2)}\n`, replaces: true };
  }
  const snippet = `${JSON.stringify({ "eslint.validate": merged }, null, 2)}\n`;
  const reason = current ? "it exists (--force merges the setting into it)" : "it exists and is not plain JSON (comments?)";
  return { kind: "snippet", file, reason: `${reason}; add`, snippet };
}

function planHook(d: Detection, kind: HookKind, force: boolean): Outcome | null {
  const hook = hookFile(kind, d.packageManager);
  if (!hook) return null;
  if (kind === "git") {
    let gitDir: fs.Stats | null = null;
    try {
      gitDir = fs.statSync(path.join(d.root, ".git"));
    } catch (error) {
      rethrowUnlessMissing(error);
      gitDir = null;
    }
    if (!gitDir?.isDirectory()) throw new InitError(`--hook git needs a git repository: no .git folder in ${d.root}`);
  }
  const abs = path.join(d.root, hook.file);
  if (!exists(abs)) return { kind: "write", file: hook.file, text: hook.text, mode: hook.mode, replaces: false };
  let current = "";
  try {
    current = fs.readFileSync(abs, "utf8");
  } catch (error) {
    rethrowUnlessMissing(error);
    current = "";
  }
  if (/\barchlint\b/.test(current)) return { kind: "skip", file: hook.file, reason: "already runs archlint" };
  if (force) return { kind: "write", file: hook.file, text: hook.text, mode: hook.mode, replaces: true };
  const where = kind === "pre-commit" ? "it exists (--force replaces it); add under `repos:`" : "it exists (--force replaces it); add";
  return { kind: "snippet", file: hook.file, reason: where, snippet: hook.line.endsWith("\n") ? hook.line : `${hook.line}\n` };
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => (l === "" ? "" : `    ${l}`))
    .join("\n");
}

function summary(d: Detection): string[] {
  const rel = (p: string): string => p || ".";
  const schema = d.schema
    ? `${rel(d.schema.relative)} (${
        d.schema.needsSetting
          ? "outside Prisma's default places: set in settings.archlint.schema"
          : d.schema.workspacePackage !== undefined
            ? `the workspace's schema, in ${d.schema.workspacePackage}: every package finds it`
            : `found as Prisma finds it: ${d.schema.location.source}`
      })`
    : d.schemaCandidates.length > 0
      ? `several (${d.schemaCandidates.join(", ")}): set settings.archlint.schema to one`
      : "none";
  const { public: pub, protected: prot } = d.procedures;
  const trpc =
    pub.length + prot.length > 0
      ? `public: ${pub.join(", ") || "-"}; protected: ${prot.join(", ") || "-"}`
      : d.trpc
        ? "@trpc/server installed, no builders found"
        : "none";
  return [
    "Detected:",
    `  package manager  ${d.packageManager} (${d.packageManagerFrom})`,
    `  Prisma schema    ${schema}`,
    ...(d.sqlMigrations ? [`  SQL migrations   ${d.sqlMigrations} (linted with archlint/sql; the editor setting adds "sql")`] : []),
    `  tRPC builders    ${trpc}`,
    `  Fastify          ${d.fastify ? "yes" : "no"}`,
    `  Effect           ${d.effect ? "yes" : "no"}`,
    `  TypeScript       ${d.typescript ? `${d.tsconfigs.join(", ")}: the recommended-type-checked preset` : "no tsconfig.json: the recommended preset"}`,
    ...(d.legacyEslintConfig ? [`  note             ${d.legacyEslintConfig} is ignored by ESLint 9 and later; move its rules into the flat config`] : []),
  ];
}

/**
 * Refuses to write `file` (relative to `root`) when it, or a folder on its way, is a symlink that
 * leads out of the project: `init` never writes outside the folder it was given.
 */
function assertInside(root: string, file: string): void {
  const realRoot = fs.realpathSync(root);
  let existing = path.join(root, file);
  // The deepest part of the path that exists decides where the write lands.
  for (;;) {
    try {
      const real = fs.realpathSync(existing);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep))
        throw new InitError(`refusing to write ${file}: ${path.relative(root, existing) || "."} is a symlink that leads outside the project (to ${real})`);
      return;
    } catch (error) {
      if (error instanceof InitError) throw error;
      rethrowUnlessMissing(error);
      // A dangling symlink: realpath fails, but the write would follow it.
      const link = lstatOrNull(existing);
      if (link?.isSymbolicLink()) {
        const target = path.resolve(path.dirname(existing), fs.readlinkSync(existing));
        if (target !== realRoot && !target.startsWith(realRoot + path.sep))
          throw new InitError(`refusing to write ${file}: ${path.relative(root, existing)} is a symlink that leads outside the project (to ${target})`);
      }
      const parent = path.dirname(existing);
      if (parent === existing) return;
      existing = parent;
    }
  }
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
}

function declaredDependencies(root: string): Set<string> {
  const pkg = readJsonObject(path.join(root, "package.json"));
  return new Set([...Object.keys((pkg?.dependencies as object) ?? {}), ...Object.keys((pkg?.devDependencies as object) ?? {})]);
}

function installCommand(d: Detection): string | null {
  const have = declaredDependencies(d.root);
  const missing = ["eslint", "eslint-plugin-archlint", "archlint"].filter((p) => !have.has(p));
  if (missing.length === 0) return null;
  const add = { npm: "npm install -D", pnpm: "pnpm add -D", yarn: "yarn add -D", bun: "bun add -d" }[d.packageManager];
  return `${add} ${missing.join(" ")}`;
}

export async function runInit(root: string, options: InitOptions, io: Io): Promise<void> {
  const d = await detect(root);
  const outcomes = [planEslint(d, options.force), planVscode(d, options.force), planHook(d, options.hook, options.force)].filter(
    (o): o is Outcome => o !== null,
  );
  const out: string[] = [...summary(d), ""];
  // Checked for every file before any is written: a refusal leaves the project as it was.
  if (!options.dryRun) for (const o of outcomes) if (o.kind === "write") assertInside(root, o.file);
  for (const o of outcomes) {
    if (o.kind === "write") {
      const verb = options.dryRun ? (o.replaces ? "would replace" : "would write") : o.replaces ? "replaced" : "wrote";
      if (!options.dryRun) {
        const abs = path.join(root, o.file);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, o.text, o.mode !== undefined ? { mode: o.mode } : undefined);
        if (o.mode !== undefined) fs.chmodSync(abs, o.mode);
        out.push(`${verb} ${o.file}`);
      } else {
        out.push(`${verb} ${o.file}:`, indent(o.text), "");
      }
    } else if (o.kind === "skip") {
      out.push(`kept ${o.file}: ${o.reason}`);
    } else {
      out.push(`kept ${o.file}: ${o.reason}:`, indent(o.snippet), "");
    }
  }
  const next: string[] = [];
  const install = installCommand(d);
  if (install) next.push(install);
  const eslint = exec(d.packageManager).replace(/archlint$/, "eslint");
  next.push(`${exec(d.packageManager)} check    # or: ${eslint} .`);
  if (options.hook === "pre-commit") next.push("pre-commit install");
  if (options.hook === "husky" && !declaredDependencies(root).has("husky"))
    next.push(`husky: install it and add "prepare": "husky" to package.json's scripts (see ${DOCS}/pre-commit.md)`);
  out.push("", "Next:", ...next.map((l) => `  ${l}`));
  out.push("", `Hooks: ${DOCS}/pre-commit.md`, `Editor: ${DOCS}/editor.md`);
  io.stdout(`${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`);
}
