// `archlint schema ...` or `archlint check ...` with the way it lints chosen:
// `node schema-via.mjs <eslint|direct|default|sql-eslint|sql-direct> <args>`.
// The built CLI's main, as bin.js calls it, plus `schemaVia` or, for `sql-*`, `sqlVia` (see Io in packages/cli/src/cli.ts).
import { main } from "../../packages/cli/dist/cli.js";

const [via, ...argv] = process.argv.slice(2);
const sql = via.startsWith("sql-");
process.exitCode = await main(argv, {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  ...(via === "default" ? {} : sql ? { sqlVia: via.slice("sql-".length) } : { schemaVia: via }),
});
