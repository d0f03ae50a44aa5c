import path from "node:path";
import {
  lintingFile,
  loadSchema,
  parseSchemaText,
  SchemaReadError,
  SchemaSymlinkError,
  schemaForPrismaFile,
  visitorKeys,
  type LoadedSchema,
  type Schema,
  type SchemaProblem,
} from "@archlint/core";
import { PrismaSourceCode } from "./prisma-source-code.js";

export interface PrismaFile {
  path: string;
  physicalPath?: string;
  body: string | Uint8Array;
}

export interface PrismaLanguageOptions {
  /** Path (absolute, or relative to the working directory) of the schema file or folder this file belongs to. */
  schema?: string;
}

type ParseResult =
  | { ok: true; ast: Schema; schema: LoadedSchema | null; problems?: SchemaProblem[] }
  | { ok: false; errors: Array<{ message: string; line: number; column: number }> };

function isVirtual(filePath: string): boolean {
  return filePath === "<text>" || filePath.endsWith(`${path.sep}<text>`) || !path.isAbsolute(filePath);
}

/** languageOptions of ESLint's JavaScript language, which global config blocks set for every file. */
const JS_LANGUAGE_KEYS = new Set(["parser", "parserOptions", "ecmaVersion", "sourceType", "globals"]);

/**
 * The `archlint/prisma` language: `.prisma` files parsed with positions, and validated together
 * with the rest of their schema by Prisma (the project's own when installed). Prisma's errors are
 * reported at Prisma's spans with Prisma's messages, as ESLint reports a JavaScript syntax error.
 * A file archlint's parser cannot read is a parse error and no rule runs on it; a file it reads
 * cleanly gets Prisma's errors as fatal messages and the rules run too (the schema model is what
 * is written), so one wrong type does not hide every unindexed relation of the project.
 */
export const prismaLanguage = {
  fileType: "text" as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: "type",
  visitorKeys,
  defaultLanguageOptions: {} as PrismaLanguageOptions,

  validateLanguageOptions(options: PrismaLanguageOptions): void {
    for (const key of Object.keys(options ?? {})) {
      // A config block without `files` (typescript-eslint's usual `{ languageOptions: { parserOptions:
      // { projectService: true } } }`) reaches .prisma files too: JavaScript's keys are ignored here.
      if (key === "schema" || JS_LANGUAGE_KEYS.has(key)) continue;
      throw new Error(`Unknown languageOptions key "${key}" for archlint/prisma (allowed: schema).`);
    }
    if (options?.schema !== undefined && typeof options.schema !== "string") {
      throw new Error("languageOptions.schema for archlint/prisma must be a path string.");
    }
  },

  parse(file: PrismaFile, context?: { languageOptions?: PrismaLanguageOptions }): ParseResult {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    const filePath = file.physicalPath ?? file.path;
    lintingFile(filePath);
    // Relative to the working directory ESLint runs in (the editor's workspace folder).
    const schemaOption = context?.languageOptions?.schema;
    let loaded: LoadedSchema;
    try {
      const location = isVirtual(filePath)
        ? { path: path.resolve(filePath), isFolder: false, source: "explicit" as const }
        : schemaForPrismaFile(filePath, schemaOption === undefined ? undefined : path.resolve(process.cwd(), schemaOption));
      loaded = loadSchema(location, { override: { path: path.resolve(filePath), text } });
    } catch (error) {
      if (!(error instanceof SchemaReadError)) throw error;
      // A file (or a sibling) linked to outside the project: one error naming it, and its text is never parsed or quoted.
      if (error instanceof SchemaSymlinkError) return { ok: false, errors: [{ message: error.message, line: 1, column: 1 }] };
      // A sibling schema file vanished or is unreadable: lint this file alone rather than fail.
      const ast = parseSchemaText(text);
      return { ok: true, ast, schema: null };
    }
    const self = loaded.files.find((f) => f.path === path.resolve(filePath));
    const ownErrors = loaded.errors.filter((e) => e.filePath === self?.path);
    if (ownErrors.length > 0 && (!self || self.ast.errors.length > 0)) {
      return {
        ok: false,
        errors: ownErrors.map((e) => ({ message: e.message, line: e.loc.start.line, column: e.loc.start.column + 1 })),
      };
    }
    return { ok: true, ast: self?.ast ?? parseSchemaText(text), schema: loaded, problems: ownErrors };
  },

  createSourceCode(file: PrismaFile, input: { ast: Schema; schema?: LoadedSchema | null; problems?: SchemaProblem[] }): PrismaSourceCode {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    return new PrismaSourceCode({
      text,
      ast: input.ast,
      schema: input.schema ?? null,
      filePath: file.physicalPath ?? file.path,
      problems: input.problems ?? [],
    });
  },
};
