import fs from "node:fs";
import path from "node:path";
import { indexCache } from "./cache.js";
import { loadTypeScript } from "./typescript.js";
import { notePathProbe } from "../reads.js";
import { statOrNull } from "../fs-probe.js";

/**
 * A tsconfig.json as TypeScript reads it (`ts.readConfigFile` + `ts.parseJsonConfigFileContent`):
 * `extends` chains (a base config's `include`, `paths` and `baseUrl` count), `include` / `files` /
 * `exclude`, and `references`. Without TypeScript installed, only the file's own `compilerOptions`
 * paths are read and its program's files are unknown.
 */
export interface TsconfigInfo {
  path: string;
  /** The program's root files, absolute; null when TypeScript is not installed. */
  fileNames: string[] | null;
  /** Module `paths` and the folder they resolve from (`baseUrl`, else the config that declares them). */
  paths: Array<[string, string[]]>;
  pathsBase: string;
  /** Referenced projects' tsconfig files, absolute. */
  references: string[];
}

function isFile(p: string): boolean {
  notePathProbe(p);
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The tsconfig at `configPath`, or null when it does not exist or does not parse. */
export function readTsconfig(configPath: string): TsconfigInfo | null {
  const file = path.resolve(configPath);
  return indexCache.memo(`tsconfig\0${file}`, () => {
    const ts = loadTypeScript();
    const result = ts ? readWithTypeScript(ts, file) : readPlain(file);
    return { value: result?.info ?? null, files: result?.files ?? [file] };
  });
}

function readWithTypeScript(ts: typeof import("typescript"), file: string): { info: TsconfigInfo; files: string[] } | null {
  if (!isFile(file)) return null;
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error || !read.config) return null;
  const extended: string[] = [];
  const host: import("typescript").ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    fileExists: (p) => ts.sys.fileExists(p),
    readFile: (p) => {
      extended.push(path.resolve(p));
      return ts.sys.readFile(p);
    },
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(file), undefined, file);
  const options = parsed.options as import("typescript").CompilerOptions & { pathsBasePath?: string };
  const references = (parsed.projectReferences ?? []).map((ref) => {
    const target = path.resolve(ref.path);
    return isFile(target) ? target : path.join(target, "tsconfig.json");
  });
  return {
    info: {
      path: file,
      fileNames: parsed.fileNames.map((f) => path.resolve(f)),
      paths: Object.entries(options.paths ?? {}),
      pathsBase: path.resolve(options.baseUrl ?? options.pathsBasePath ?? path.dirname(file)),
      references,
    },
    // The program's files change when files are added under the config's folder.
    files: [file, path.dirname(file), ...extended],
  };
}

function stripJsonComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? "").replace(/,(\s*[}\]])/g, "$1");
}

function readPlain(file: string): { info: TsconfigInfo; files: string[] } | null {
  if (!isFile(file)) return null;
  let json: { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
  try {
    json = JSON.parse(stripJsonComments(fs.readFileSync(file, "utf8"))) as typeof json;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  const co = json.compilerOptions ?? {};
  return {
    info: {
      path: file,
      fileNames: null,
      paths: Object.entries(co.paths ?? {}),
      pathsBase: path.resolve(path.dirname(file), co.baseUrl ?? "."),
      references: [],
    },
    files: [file],
  };
}

/** The nearest tsconfig.json at or above `dir`, read; null when there is none. */
export function nearestTsconfig(dir: string): TsconfigInfo | null {
  for (let current = path.resolve(dir), i = 0; i < 30; i++) {
    const candidate = path.join(current, "tsconfig.json");
    if (isFile(candidate)) return readTsconfig(candidate);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return null;
}

/**
 * The root files of a tsconfig.json's program with those of the projects it references (a
 * solution-style tsconfig.json has none of its own). null when it cannot be read or TypeScript
 * is not installed.
 */
export function tsconfigFiles(configPath: string): Set<string> | null {
  const files = new Set<string>();
  const seen = new Set<string>();
  const read = (config: string, depth: number): boolean => {
    if (seen.has(config) || depth > 4) return true;
    seen.add(config);
    const info = readTsconfig(config);
    if (!info?.fileNames) return false;
    for (const f of info.fileNames) files.add(f);
    for (const ref of info.references) read(ref, depth + 1);
    return true;
  };
  return read(path.resolve(configPath), 0) ? files : null;
}

const isGlob = (p: string): boolean => /[*?[\]{}]/.test(p);

/**
 * The folder of the tsconfig.json that types what is linted: the nearest tsconfig.json above the
 * working directory or a target (up to the project root: a folder with a package.json or .git),
 * provided its program (or a referenced project's) holds at least one file under the targets.
 * null: no tsconfig.json, or one for other files only.
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
      if (isFile(path.join(dir, "package.json")) || statOrNull(path.join(dir, ".git")) !== null || path.dirname(dir) === dir) break;
    }
  }
  return null;
}
