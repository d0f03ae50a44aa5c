import { createRequire } from "node:module";

/**
 * What the CLI says about itself: its version and usage. Kept apart from the commands so that
 * `archlint --version` and `archlint --help` answer without loading ESLint, TypeScript or Prisma
 * (bin.ts asks `quickAnswer` first).
 */

const require = createRequire(import.meta.url);
export const { version } = require("../package.json") as { version: string };

export const USAGE = `Usage: archlint <command> [options]

Commands:
  check [paths...]   Lint TypeScript/JavaScript files, Prisma schemas and SQL migrations (default: .)
  schema [path]      Lint the Prisma schema alone (a .prisma file, a schema folder, or a project)
  init [dir]         Write eslint.config.mjs, VS Code settings and a pre-commit hook for the project
                     (default: .), from what it uses: package manager, Prisma schema, tRPC builders
  map [path]         Draw the architecture: endpoints -> services -> models, with auth, input
                     validation, hotness, caches and findings (json, mermaid, html; --diff <ref>)

Options:
  --format <name>    stylish (default), json, sarif, github; map: json (default), mermaid, html, markdown
  --fix              Apply automatic fixes
  --staged           Lint only the files staged in git, as committed (check; with paths: the staged
                     files inside them)
  --max-warnings <n> Exit 1 when there are more than n warnings
  --quiet            Report errors only
  --config <file>    ESLint config file to use (check)
  --cache            Reuse each file's result while the file, its config and everything its analysis
                     read (schema, migrations, imported modules) are unchanged (check)
  --cache-location <path>  Cache file or folder (default: .archlintcache) (check)
  --schema <path>    Prisma schema file or folder (check, schema)
  --no-type-check    Without an ESLint config of the project's own: skip the type-aware preset even
                     when a tsconfig.json is found (check)
  --no-prepass       Parse every file, even those no enabled rule could report in (check; a parse
                     error in a skipped file is otherwise not reported)
  --hook <name>      pre-commit, husky, git or none (default) (init)
  --dry-run          Print the files instead of writing them (init)
  --force            Replace existing files (init)
  --focus <name>     An endpoint or model and its neighbourhood only (map)
  --diff <ref>       What the working tree changes in the architecture against a git ref (map)
  -h, --help         Show this help
  -v, --version      Show the version

Exit codes: 0 clean, 1 findings, 2 usage or input error.
`;

const COMMON_OPTIONS = `  --format <name>    stylish (default), json, sarif, github
  --fix              Apply automatic fixes (atomically: each file is its old or its new text)
  --max-warnings <n> Exit 1 when there are more than n warnings
  --quiet            Report errors only`;

export const MAP_USAGE = `Usage: archlint map [path] [options]

Draw the architecture of the backend in path (default: .) from its code, without running it:
endpoints (tRPC procedures with their full path, Fastify routes) -> the services their handlers
call -> the models and tables they read and write, with each endpoint's auth, input validation,
hotness and the caches in front, the Prisma models with relations and indexes, and the findings
of archlint's rules attached to the endpoint, service or model they concern. It runs the same
rules, config and type information as archlint check. What it cannot follow is listed under
"unresolved" with the reason, and the map is still printed.

Options:
  --format <name>    json (default; schema: architectureMapJsonSchema() in @archlint/core), mermaid,
                     html (one self-contained page: a searchable endpoint table and a graph of one
                     endpoint or model at a time); with --diff: markdown (default, for a
                     pull-request comment) or json
  --focus <name>     One endpoint (post.byId, GET /v1/posts/:id, or its id) or model (Post) and its
                     neighbourhood only
  --diff <ref>       What the working tree changes in the architecture against a git ref (main,
                     HEAD~1): endpoints added or removed, auth or validation dropped, new uncached
                     reads on hot endpoints, new writes to cached models, findings added or fixed
  --config <file>    ESLint config file to use
  --schema <path>    Prisma schema file or folder
  --no-type-check    Zero-config: skip type information (calls across files are then joined by
                     their imports only)

Exit codes: 0 map printed (findings do not change it), 2 usage or input error.
`;

/** \`archlint <command> --help\`: that command's arguments and options. */
export const COMMAND_USAGE: Record<string, string> = {
  check: `Usage: archlint check [paths...] [options]

Lint TypeScript/JavaScript files, Prisma schemas and SQL migrations (.sql files in a migrations
folder) with archlint's rules (default path: .).
Every path named is linted, wherever it is. With an eslint.config.* that registers
eslint-plugin-archlint, its archlint rules, options and settings are used; otherwise the
zero-config preset runs (type-aware when a tsconfig.json includes the files) and one line on
stderr says what it chose. Only archlint's findings and parse errors are reported.

Options:
${COMMON_OPTIONS}
  --staged           Lint only the files staged in git, as committed (with paths: the staged files
                     inside them)
  --config <file>    ESLint config file to use
  --cache            Reuse each file's result while the file (its content), its config and every
                     file its analysis read (the schema, migrations, imported services and builders,
                     a traffic file) are unchanged; never with --staged, and --fix lints every file
  --cache-location <path>  Cache file, or a folder for it (default: .archlintcache)
  --schema <path>    Prisma schema file or folder
  --no-type-check    Zero-config: skip the type-aware preset even when a tsconfig.json is found
  --no-prepass       check reads each code file's text first and parses only those an enabled rule
                     could report in (a skipped file counts as linted, 0 findings; a parse error
                     in it is not reported; a file named here is always linted): this parses
                     every file

Exit codes: 0 clean, 1 findings, 2 usage or input error.
`,
  schema: `Usage: archlint schema [path] [options]

Lint the Prisma schema alone: a .prisma file (validated with the rest of its schema), a schema
folder (one multi-file schema) or a project (its schema found as Prisma finds it; default: .).

Options:
${COMMON_OPTIONS}
  --schema <path>    Prisma schema file or folder (instead of the path argument)

Exit codes: 0 clean, 1 findings, 2 usage or input error.
`,
  init: `Usage: archlint init [dir] [options]

Write eslint.config.mjs, VS Code settings and a pre-commit hook for the project in dir (default: .),
from what it uses: package manager, Prisma schema, tRPC builders. Never runs the project's code.

Options:
  --hook <name>      pre-commit, husky, git or none (default)
  --dry-run          Print the files instead of writing them
  --force            Replace existing files (a project's own ESLint config always gets a snippet)

Exit codes: 0 done, 2 usage or input error.
`,
  map: MAP_USAGE,
};

/**
 * The whole answer to a command line that only asks for the version or for help (`--version`,
 * `-v`, `--help`, `-h`, `help [command]`, `<command> --help`), else null: every other command line,
 * including a malformed one, goes to the full parser in cli.ts.
 */
export function quickAnswer(argv: readonly string[]): string | null {
  const [first, second, ...rest] = argv;
  if (rest.length > 0) return null;
  const isHelp = (a: string | undefined) => a === "--help" || a === "-h";
  if (second === undefined && (first === "--version" || first === "-v")) return `${version}\n`;
  if (second === undefined && (isHelp(first) || first === "help")) return USAGE;
  if (first === "help" && second !== undefined && COMMAND_USAGE[second]) return COMMAND_USAGE[second];
  if (first !== undefined && isHelp(second) && COMMAND_USAGE[first]) return COMMAND_USAGE[first];
  return null;
}
