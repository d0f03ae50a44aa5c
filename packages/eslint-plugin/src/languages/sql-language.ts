/**
 * The `archlint/sql` language: `.sql` migrations parsed by Postgres's own parser (libpg_query,
 * PostgreSQL 18, compiled to WebAssembly: the `libpg-query` package, instantiated synchronously
 * by @archlint/core because ESLint's `parse()` cannot wait for a promise).
 *
 * Why that parser: of the WebAssembly builds on npm, `libpg-query` 18 and `@supabase/pg-parser`
 * 0.1.7 (PostgreSQL 17) both load in ~10 ms here (the wasm compiled once per process), but
 * libpg-query parses about 5x faster (0.13 ms for a 14-statement migration, ~0.2 s against
 * ~1.2 s for 1 MB of DDL) and PostgreSQL 18 places each statement at its first token, where 17
 * counts from the previous `;` (leading comments included); `@pgsql/parser` adds a 5 MB protobuf
 * runtime. Statement, `REFERENCES` and table-name positions are exact; clauses the parser gives no
 * position for (`ENABLE ROW LEVEL SECURITY`) are reported on their statement.
 *
 * A file Postgres rejects (a typo, a MySQL dump, a BOM inside the text) is one parse error at the
 * parser's position, never a crash; an empty file is an empty program. Prisma migrations of a
 * project on another database (`migration_lock.toml` names `mysql`, `sqlite`...) are not Postgres:
 * they are read as empty, without an error.
 */
import path from "node:path";
import { lintingFile, migrationRunForProcess, notPostgres, migrationsFolder, parseMigration, SqlText, sqlVisitorKeys, type SqlProgram } from "@archlint/core";
import { SqlSourceCode } from "./sql-source-code.js";

export interface SqlFile {
  path: string;
  physicalPath?: string;
  body: string | Uint8Array;
}

type ParseResult = { ok: true; ast: SqlProgram; sqlText: SqlText } | { ok: false; errors: Array<{ message: string; line: number; column: number }> };

/** languageOptions of ESLint's JavaScript language, which global config blocks set for every file. */
const JS_LANGUAGE_KEYS = new Set(["parser", "parserOptions", "ecmaVersion", "sourceType", "globals"]);

function textOf(file: SqlFile): string {
  return typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
}

/**
 * A process started as the `eslint` command lints each file once and exits: its migrations are
 * taken not to change while it runs, so each folder is read once, not once per migration (n²
 * reads). An editor's ESLint server, a daemon or a test runner is another process: they re-read.
 */
function isEslintCommand(main: string | undefined): boolean {
  return main !== undefined && /[\\/]eslint[\\/]bin[\\/]eslint\.js$/.test(main);
}
if (isEslintCommand(process.argv[1])) migrationRunForProcess();

function otherDatabase(filePath: string): boolean {
  if (!path.isAbsolute(filePath)) return false;
  return notPostgres(migrationsFolder(filePath, { cwd: path.dirname(filePath) }));
}

export const sqlLanguage = {
  fileType: "text" as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: "type",
  visitorKeys: sqlVisitorKeys,
  defaultLanguageOptions: {},

  validateLanguageOptions(options: Record<string, unknown>): void {
    for (const key of Object.keys(options ?? {})) {
      // A config block without `files` (typescript-eslint's `parserOptions`) reaches .sql files too.
      if (JS_LANGUAGE_KEYS.has(key)) continue;
      throw new Error(`Unknown languageOptions key "${key}" for archlint/sql (it takes none; the migrations folder is settings.archlint.migrations).`);
    }
  },

  parse(file: SqlFile): ParseResult {
    const text = textOf(file);
    lintingFile(file.physicalPath ?? file.path);
    if (otherDatabase(file.physicalPath ?? file.path)) {
      const sqlText = new SqlText(text);
      return { ok: true, ast: { type: "Program", body: [], comments: [], range: [0, text.length], loc: sqlText.loc(0, text.length) }, sqlText };
    }
    const parsed = parseMigration(path.resolve(file.physicalPath ?? file.path), text);
    if (!parsed.ok) {
      return { ok: false, errors: [{ message: parsed.error.message, line: parsed.error.position.line, column: parsed.error.position.column + 1 }] };
    }
    return { ok: true, ast: parsed.program, sqlText: parsed.text };
  },

  createSourceCode(file: SqlFile, input: { ast: SqlProgram; sqlText: SqlText }): SqlSourceCode {
    return new SqlSourceCode({ text: textOf(file), ast: input.ast, sqlText: input.sqlText, filePath: file.physicalPath ?? file.path });
  },
};
