import fs from "node:fs";
import path from "node:path";
import { ProjectIndex, rethrowUnlessMissing, rethrowUnlessMissingOrMalformed, statOrNull, workspacePackages, type SchemaDetection } from "@archlint/core";

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
  schema: SchemaDetection["schema"];
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
  /** Supabase's SQL migrations folder, relative to the root, when the project has one. */
  sqlMigrations: string | null;
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
  return statOrNull(p)?.isFile() ?? false;
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

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

const LINTABLE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Root-level lintable files (plus `extra`, about to be written) that the tsconfig.json leaves out. */
function rootFilesOutsideTsconfig(index: ProjectIndex, extra: string[]): string[] {
  const root = index.root;
  const program = index.tsconfigFiles();
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isFile() && LINTABLE.test(e.name) && !e.name.endsWith(".d.ts"))
      .map((e) => e.name);
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
  // init writes what the rules will read: the same index, the same builder classifier.
  const index = new ProjectIndex(root);
  const { schema, candidates } = index.detectSchema();
  const procedures = index.builders();
  const trpc = procedures.public.length + procedures.protected.length > 0;
  const tsconfigs = packages
    .filter((dir) => isFile(path.join(dir, "tsconfig.json")))
    .map((dir) => toPosix(path.relative(root, path.join(dir, "tsconfig.json"))));
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
    outsideTsconfig: typescript ? rootFilesOutsideTsconfig(index, [eslintConfig ?? "eslint.config.mjs"]) : [],
    eslintConfig,
    legacyEslintConfig: LEGACY_ESLINT_NAMES.find((n) => isFile(path.join(root, n))) ?? null,
    sqlMigrations: statOrNull(path.join(root, "supabase", "migrations"))?.isDirectory() ? "supabase/migrations" : null,
  };
}
