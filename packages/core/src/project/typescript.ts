import { createRequire } from "node:module";
import path from "node:path";

type TypeScript = typeof import("typescript");

let loaded: TypeScript | null | undefined;

/**
 * The project's TypeScript compiler API, loaded on first use: `typescript` is an optional peer of
 * core (a project on TypeScript 7 has no JS API; the schema checker and syntax-only rules must
 * still run). Resolved from core, then from typescript-estree (the one typescript-eslint parses
 * with), then from the working directory. null when none is installed.
 */
export function loadTypeScript(): TypeScript | null {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const attempts: Array<() => TypeScript> = [
    () => require("typescript") as TypeScript,
    () => createRequire(require.resolve("@typescript-eslint/typescript-estree"))("typescript") as TypeScript,
    () => createRequire(path.join(process.cwd(), "package.json"))("typescript") as TypeScript,
  ];
  loaded = null;
  for (const attempt of attempts) {
    try {
      const ts = attempt();
      if (typeof ts.readConfigFile === "function" && typeof ts.parseJsonConfigFileContent === "function") {
        loaded = ts;
        break;
      }
    } catch (error) {
      if (!isModuleNotFound(error)) throw error;
    }
  }
  return loaded;
}

function isModuleNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND";
}
