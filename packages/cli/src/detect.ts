import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { locateSchema, schemaLocationForFile, workspacePackages, workspaceSchemas, type SchemaLocation, rethrowUnlessMissing, rethrowUnlessMissingOrMalformed, SchemaLocateError } from "@archlint/core";

/**
 * What `archlint init` learns about a project before writing its config: the package manager, the
 * Prisma schema, the tRPC procedure builders, Fastify / Effect / TypeScript usage, and an existing
 * ESLint config. Everything is read from files (package.json, lockfiles, sources parsed but never
 * run); nothing touches the network, and the same project always gives the same answer.
 */

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

export interface Detection {
  root: string;
  packageManager: PackageManager;
  /** Where the package manager came from: `package.json#packageManager`, a lockfile's name, or the default. */
  packageManagerFrom: string;
  /** The schema as Prisma finds it (no setting needed), or found elsewhere (`needsSetting`). */
  schema: { location: SchemaLocation; relative: string; needsSetting: boolean; workspacePackage?: string } | null;
  /** Several schemas outside Prisma's default places: the user has to pick one. */
  schemaCandidates: string[];
  /** tRPC procedure builders, sorted; empty when the project defines none. */
  procedures: { public: string[]; protected: string[] };
  trpc: boolean;
  fastify: boolean;
  effect: boolean;
  /** A `tsconfig.json` at the root or in a workspace package: the type-aware preset can run. */
  typescript: boolean;
  /** Those tsconfig.json files, relative to the root. */
  tsconfigs: string[];
  /**
   * Lintable files at the root (config files, mostly) that the tsconfig.json does not include:
   * typescript-eslint's project service cannot type them unless they are in `allowDefaultProject`.
   */
  outsideTsconfig: string[];
  /** The project's own ESLint flat config, by file name, when it has one. */
  eslintConfig: string | null;
  /** A legacy `.eslintrc*` (ESLint 9+ ignores it). */
  legacyEslintConfig: string | null;
}

export const ESLINT_CONFIG_NAMES = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts", "eslint.config.mts", "eslint.config.cts"];
const LEGACY_ESLINT_NAMES = [".eslintrc.js", ".eslintrc.cjs", ".eslintrc.yaml", ".eslintrc.yml", ".eslintrc.json", ".eslintrc"];
const LOCKFILES: Array<[string, PackageManager]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lockb", "bun"],
  ["bun.lock", "bun"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/** Folders never scanned: dependencies, build output, VCS and tool state. */
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "out", "coverage", ".next", ".turbo", ".git", "generated"]);
const SOURCE_EXT = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Bounds for the source scan: a monorepo of 10k files is still read in well under a second. */
const MAX_FILES = 10_000;
const MAX_FILE_BYTES = 512 * 1024;
const MAX_DEPTH = 12;

interface PackageJson {
  packageManager?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
}

function readPackageJson(root: string): PackageJson {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as PackageJson) : {};
  } catch (error) {
    rethrowUnlessMissingOrMalformed(error);
    return {};
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch (error) {
    rethrowUnlessMissing(error);
    return false;
  }
}

/**
 * `package.json#packageManager`, then a lockfile, in the project's folder and then above it up to
 * the repository's root: a workspace package has neither, its workspace root has them.
 */
export function detectPackageManager(root: string): { name: PackageManager; from: string } {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const where = (file: string): string => path.relative(root, path.join(dir, file)).split(path.sep).join("/");
    const pkg = readPackageJson(dir);
    if (typeof pkg.packageManager === "string") {
      const name = /^(npm|pnpm|yarn|bun)@/.exec(pkg.packageManager)?.[1] as PackageManager | undefined;
      if (name) return { name, from: `${where("package.json")}#packageManager` };
    }
    for (const [file, name] of LOCKFILES) {
      if (isFile(path.join(dir, file))) return { name, from: where(file) };
    }
    if (isFile(path.join(dir, "pnpm-workspace.yaml"))) return { name: "pnpm", from: where("pnpm-workspace.yaml") };
    if (fs.existsSync(path.join(dir, ".git")) || path.dirname(dir) === dir) break;
  }
  return { name: "npm", from: "default" };
}

/** Source files under `root` (sorted, bounded), skipping dependencies, build output and dot-folders. */
export function sourceFiles(root: string, match: RegExp = SOURCE_EXT): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      rethrowUnlessMissing(error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) walk(path.join(dir, e.name), depth + 1);
      } else if (e.isFile() && match.test(e.name) && !e.name.endsWith(".d.ts")) {
        out.push(path.join(dir, e.name));
      }
    }
  };
  walk(root, 0);
  return out;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/**
 * The schema Prisma would use (`prisma.config.*`, `package.json#prisma.schema`, the default
 * places: no setting needed), else the one schema found elsewhere in the project (a file or folder
 * with a datasource, which then goes into the settings). Several such schemas: none is picked.
 */
function detectSchema(root: string): { schema: Detection["schema"]; candidates: string[] } {
  let located: SchemaLocation | null = null;
  try {
    located = locateSchema(root);
  } catch (error) {
    if (!(error instanceof SchemaLocateError)) throw error;
    located = null;
  }
  if (located) return { schema: { location: located, relative: toPosix(path.relative(root, located.path)), needsSetting: false }, candidates: [] };
  // A monorepo's one schema in a workspace package: every package finds it without a setting.
  const inWorkspace = workspaceSchemas(root);
  if (inWorkspace.length === 1) {
    const { location, packageDir } = inWorkspace[0]!;
    const workspacePackage = toPosix(path.relative(root, packageDir));
    return { schema: { location, relative: toPosix(path.relative(root, location.path)), needsSetting: false, workspacePackage }, candidates: [] };
  }
  const withDatasource = sourceFiles(root, /\.prisma$/).filter((f) => {
    try {
      return /^\s*datasource\s+\w+\s*\{/m.test(fs.readFileSync(f, "utf8"));
    } catch (error) {
      rethrowUnlessMissing(error);
      return false;
    }
  });
  const locations = new Map<string, SchemaLocation>();
  for (const f of withDatasource) {
    const loc = schemaLocationForFile(f, undefined, root);
    locations.set(loc.path, loc);
  }
  const found = [...locations.values()];
  if (found.length === 1) {
    const location = found[0]!;
    return { schema: { location, relative: toPosix(path.relative(root, location.path)), needsSetting: true }, candidates: [] };
  }
  return { schema: null, candidates: found.map((l) => toPosix(path.relative(root, l.path))).sort() };
}

// ---------------------------------------------------------------------------------------------
// tRPC builders

interface EsNode {
  type: string;
  [key: string]: unknown;
}

type Parse = (code: string, options: object) => { body: EsNode[] };

/** The links (`.use(...)`, `.input(...)`) a procedure builder chain may have; anything else is not a builder. */
const BUILDER_LINKS = new Set(["use", "input", "output", "meta", "concat", "unstable_concat"]);
const MIDDLEWARE_LINKS = new Set(["use", "concat", "unstable_concat"]);
const TERMINALS = new Set(["query", "mutation", "subscription"]);

interface BuilderDecl {
  name: string;
  /** `t.procedure` (a tRPC instance's root builder) or another builder, by name. */
  base: { kind: "root" } | { kind: "ref"; name: string };
  middleware: boolean;
}

function unwrap(node: EsNode): EsNode {
  let n = node;
  while (n.type === "TSAsExpression" || n.type === "TSNonNullExpression" || n.type === "TSSatisfiesExpression" || n.type === "TSTypeAssertion") {
    n = n.expression as EsNode;
  }
  return n;
}

function memberName(node: EsNode): string | null {
  if (node.type !== "MemberExpression" || node.computed) return null;
  const property = node.property as EsNode;
  return property.type === "Identifier" ? (property.name as string) : null;
}

/** `a.b(...).c(...)` -> base `a.b`... as in the plugin's decomposeChain: the base and the method names after it. */
function chain(node: EsNode): { base: EsNode; links: string[] } {
  const links: string[] = [];
  let current = unwrap(node);
  while (current.type === "CallExpression") {
    const callee = unwrap(current.callee as EsNode);
    const name = memberName(callee);
    if (name === null) break;
    links.unshift(name);
    current = unwrap(callee.object as EsNode);
  }
  return { base: current, links };
}

/** `initTRPC.create()`, `initTRPC.context<Ctx>().meta<M>().create({...})`. */
function isInitTrpc(node: EsNode): boolean {
  const { base, links } = chain(node);
  return base.type === "Identifier" && base.name === "initTRPC" && links.includes("create");
}

function topLevelDeclarators(program: { body: EsNode[] }): EsNode[] {
  const out: EsNode[] = [];
  for (const statement of program.body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? (statement.declaration as EsNode | null) : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const d of declaration.declarations as EsNode[]) {
      if ((d.id as EsNode).type === "Identifier" && d.init) out.push(d);
    }
  }
  return out;
}

function importedNames(program: { body: EsNode[] }): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration") continue;
    for (const s of statement.specifiers as EsNode[]) names.add((s.local as EsNode).name as string);
  }
  return names;
}

/** Builder declarations of one module: `export const authed = t.procedure.use(isAuthed)`. */
function builderDecls(program: { body: EsNode[] }): BuilderDecl[] {
  const declarators = topLevelDeclarators(program);
  const instances = new Set(declarators.filter((d) => isInitTrpc(d.init as EsNode)).map((d) => (d.id as EsNode).name as string));
  const imports = importedNames(program);
  const out: BuilderDecl[] = [];
  for (const d of declarators) {
    const name = (d.id as EsNode).name as string;
    const { base, links } = chain(d.init as EsNode);
    if (links.some((l) => !BUILDER_LINKS.has(l)) || links.some((l) => TERMINALS.has(l))) continue;
    const middleware = links.some((l) => MIDDLEWARE_LINKS.has(l));
    if (memberName(base) === "procedure") {
      const owner = unwrap(base.object as EsNode);
      const isInstance = owner.type === "Identifier" ? instances.has(owner.name as string) || imports.has(owner.name as string) : isInitTrpc(owner);
      if (isInstance) out.push({ name, base: { kind: "root" }, middleware });
    } else if (base.type === "Identifier" && base.name !== name) {
      out.push({ name, base: { kind: "ref", name: base.name as string }, middleware });
    }
  }
  return out;
}

/**
 * Resolve builders across modules by name: a declaration is a builder when it starts at a tRPC
 * instance's `.procedure` or at another builder. It is protected when middleware sits anywhere on
 * the way (`.use(isAuthed)`), unless its name says public (create-t3-app's `publicProcedure` has a
 * timing middleware).
 */
export function classifyBuilders(decls: BuilderDecl[]): { public: string[]; protected: string[] } {
  const middlewareOf = new Map<string, boolean>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of decls) {
      if (middlewareOf.has(d.name)) continue;
      let inherited: boolean | undefined;
      if (d.base.kind === "root") inherited = false;
      else inherited = middlewareOf.get(d.base.name);
      if (inherited === undefined) continue;
      middlewareOf.set(d.name, inherited || d.middleware);
      changed = true;
    }
  }
  const pub: string[] = [];
  const prot: string[] = [];
  for (const [name, middleware] of middlewareOf) {
    if (/public/i.test(name) || !middleware) pub.push(name);
    else prot.push(name);
  }
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { public: pub.sort(order), protected: prot.sort(order) };
}

/** Only modules that mention a builder or a middleware are parsed. */
const MAY_DEFINE_BUILDER = /procedure|\.use\s*\(/i;

async function detectProcedures(root: string): Promise<{ procedures: Detection["procedures"]; trpc: boolean }> {
  let parse: Parse | null = null;
  const decls: BuilderDecl[] = [];
  for (const file of sourceFiles(root)) {
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      rethrowUnlessMissing(error);
      continue;
    }
    if (!MAY_DEFINE_BUILDER.test(text)) continue;
    parse ??= ((await import("@typescript-eslint/parser")) as unknown as { parse: Parse }).parse;
    let program: { body: EsNode[] };
    try {
      program = parse(text, { jsx: /\.[jt]sx$/.test(file), range: false, loc: false, comment: false, tokens: false });
    } catch {
      // Any parse error: a file that does not parse is reported by the linter; here it defines nothing.
      continue;
    }
    decls.push(...builderDecls(program));
  }
  const procedures = classifyBuilders(decls);
  return { procedures, trpc: procedures.public.length + procedures.protected.length > 0 };
}

const LINTABLE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/**
 * The root files of a tsconfig.json's program, as TypeScript computes them (extends, include,
 * exclude, allowJs), with those of the projects it references (a solution-style tsconfig.json
 * has none of its own), read with the TypeScript that typescript-eslint's parser uses. null when
 * it cannot be read.
 */
export function tsconfigFiles(configPath: string): Set<string> | null {
  let ts: typeof import("typescript");
  try {
    const require = createRequire(import.meta.url);
    ts = createRequire(require.resolve("@typescript-eslint/parser"))("typescript") as typeof import("typescript");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    return null;
  }
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
  const files = new Set<string>();
  const seen = new Set<string>();
  const read = (config: string, depth: number): boolean => {
    if (seen.has(config) || depth > 4) return true;
    seen.add(config);
    let parsed: import("typescript").ParsedCommandLine | undefined;
    try {
      parsed = ts.getParsedCommandLineOfConfigFile(config, {}, host);
    } catch {
      // TypeScript reports a broken config as diagnostics (ignored by the host); a throw is its own failure on a malformed file: no file list then.
      parsed = undefined;
    }
    if (!parsed) return false;
    for (const f of parsed.fileNames) files.add(path.resolve(f));
    for (const ref of parsed.projectReferences ?? []) {
      const target = isFile(ref.path) ? ref.path : path.join(ref.path, "tsconfig.json");
      read(path.resolve(target), depth + 1);
    }
    return true;
  };
  return read(path.resolve(configPath), 0) ? files : null;
}

const isGlob = (p: string): boolean => /[*?[\]{}]/.test(p);

/**
 * The folder of the tsconfig.json that types what `archlint check` lints: the nearest
 * tsconfig.json above the working directory or a target (up to the project root: a folder with a
 * package.json or .git), provided its program (or a referenced project's) holds at least one file
 * under the targets. null: no tsconfig.json, or one for other files only.
 */
export function tsconfigForTargets(cwd: string, targets: string[]): string | null {
  const paths = targets.filter((t) => !isGlob(t)).map((t) => path.resolve(cwd, t));
  const starts = [cwd, ...paths.map((p) => (fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ? p : path.dirname(p)))];
  const covers = (files: Set<string>): boolean => {
    if (paths.length === 0) return files.size > 0;
    for (const f of files) if (paths.some((p) => f === p || f.startsWith(p + path.sep))) return true;
    return false;
  };
  const tried = new Set<string>();
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const config = path.join(dir, "tsconfig.json");
      if (!tried.has(config) && isFile(config)) {
        tried.add(config);
        const files = tsconfigFiles(config);
        if (files && covers(files)) return dir;
      }
      if (isFile(path.join(dir, "package.json")) || fs.existsSync(path.join(dir, ".git")) || path.dirname(dir) === dir) break;
    }
  }
  return null;
}

/** Root-level lintable files (plus `extra`, about to be written) that the tsconfig.json leaves out. */
function rootFilesOutsideTsconfig(root: string, extra: string[]): string[] {
  const program = tsconfigFiles(path.join(root, "tsconfig.json"));
  let names: string[] = [];
  try {
    names = fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isFile() && LINTABLE.test(e.name) && !e.name.endsWith(".d.ts")).map((e) => e.name);
  } catch (error) {
    rethrowUnlessMissing(error);
    names = [];
  }
  const all = [...new Set([...names, ...extra])].sort();
  return program ? all.filter((n) => !program.has(path.join(root, n))) : all;
}

export async function detect(root: string): Promise<Detection> {
  // A monorepo is read per package: its apps declare fastify or effect, and type their own code.
  const packages = [root, ...workspacePackages(root).filter((p) => p !== root)];
  const deps = new Set<string>();
  for (const dir of packages) {
    const pkg = readPackageJson(dir);
    for (const list of [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies]) for (const name of Object.keys(list ?? {})) deps.add(name);
  }
  const pm = detectPackageManager(root);
  const { schema, candidates } = detectSchema(root);
  const { procedures, trpc } = await detectProcedures(root);
  const tsconfigs = packages.filter((dir) => isFile(path.join(dir, "tsconfig.json"))).map((dir) => toPosix(path.relative(root, path.join(dir, "tsconfig.json"))));
  const typescript = tsconfigs.length > 0;
  const eslintConfig = ESLINT_CONFIG_NAMES.find((n) => isFile(path.join(root, n))) ?? null;
  return {
    root,
    packageManager: pm.name,
    packageManagerFrom: pm.from,
    schema,
    schemaCandidates: candidates,
    procedures,
    trpc: trpc || deps.has("@trpc/server"),
    fastify: deps.has("fastify"),
    effect: deps.has("effect"),
    typescript,
    tsconfigs,
    outsideTsconfig: typescript ? rootFilesOutsideTsconfig(root, [eslintConfig ?? "eslint.config.mjs"]) : [],
    eslintConfig,
    legacyEslintConfig: LEGACY_ESLINT_NAMES.find((n) => isFile(path.join(root, n))) ?? null,
  };
}
