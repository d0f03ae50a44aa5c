import { z } from "zod";
import { getRawSqlCall, type RawSqlCall } from "../analysis/libraries/db.js";
import { describeSqlInput, nonConstantSqlPart } from "../analysis/libraries/sql-text.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    sanitizers: z
      .array(z.string().min(1))
      .default([])
      .describe("Functions whose result is safe to put into SQL text (the project's identifier escaping, allow-lists)."),
  })
  .strict();

type MessageIds = "unsafeStatement" | "unsafeFragment";

/** The safe way to write what `raw` does, in the call's own library. */
function fragmentFix(raw: RawSqlCall): string {
  if (raw.library === "prisma") return "Use `Prisma.sql` (values in `${...}` become bind parameters) and keep `Prisma.raw` for constant SQL";
  if (raw.library === "drizzle")
    return "Use the `sql` tag (values in `${...}` become bind parameters; `sql.identifier(name)` for identifiers) and keep `sql.raw` for constant SQL";
  if (raw.method === "lit") return "Use `sql.val(value)` or the `sql` tag (values in `${...}` become bind parameters) and keep `sql.lit` for constants";
  return "Use the `sql` tag (values in `${...}` become bind parameters; `sql.ref(name)` / `sql.table(name)` for identifiers) and keep `sql.raw` for constant SQL";
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "db-no-unsafe-raw",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow SQL text built from non-constant values in `$queryRawUnsafe`, `$executeRawUnsafe`, `Prisma.raw` and `sql.raw`/`sql.lit`",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      unsafeStatement:
        "`{{callee}}` runs SQL built from {{what}}: whoever controls that value can rewrite the query (SQL injection). Use the tagged template `{{safe}}` (values in `${...}` become bind parameters), or pass a constant SQL string with `$1`, `$2` placeholders (`?` on MySQL) and the values as further arguments.",
      unsafeFragment: "`{{callee}}` inserts {{what}} into the SQL verbatim: whoever controls that value can rewrite the query (SQL injection). {{fix}}.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const { sanitizers } = parseOptions(optionsSchema, rawOptions);
    return {
      CallExpression(node) {
        const raw = getRawSqlCall(context, node);
        if (!raw) return;
        const part = nonConstantSqlPart(context, raw.input, sanitizers);
        if (!part) return;
        const what = describeSqlInput(context, raw.input, part, sanitizers);
        if (raw.kind === "statement") {
          const safe = raw.callee.replace(/\$(query|execute)RawUnsafe$/, "$$$1Raw");
          context.report({ node: raw.input, messageId: "unsafeStatement", data: { callee: raw.callee, what, safe } });
        } else {
          context.report({ node: raw.input, messageId: "unsafeFragment", data: { callee: raw.callee, what, fix: fragmentFix(raw) } });
        }
      },
    };
  },
});
