import { z } from "zod";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { createSqlRule } from "../utils/sql-rule.js";
import { historyFor, qualifiedName, tableFilter, tablesWithoutRowSecurity } from "../analysis/libraries/sql-migrations.js";

const optionsSchema = z
  .object({
    ignoreTables: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Tables left without row level security on purpose (`name` in any schema, or `schema.name`), e.g. ones whose privileges are revoked from anon and authenticated.",
      ),
  })
  .strict();

export default createSqlRule<"noRowSecurity" | "disabledHere">({
  name: "sql-rls-enabled",
  meta: {
    type: "problem",
    docs: {
      description: "Require row level security on every table of an exposed schema by the end of the migrations",
      recommended: "recommended",
    },
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      noRowSecurity:
        "Table `{{table}}` is in the exposed schema `{{schema}}` and no migration enables row level security on it: through Supabase's Data API anyone holding the public anon key can read and change every row. Add `alter table {{table}} enable row level security;` and policies for the access clients need.",
      disabledHere:
        "This turns row level security off on `{{table}}` (exposed schema `{{schema}}`) and no later migration turns it back on: through Supabase's Data API anyone holding the public anon key can read and change every row. Enable it again in a new migration, with policies for the access clients need.",
    },
  },
  create(context) {
    const options = parseOptions(optionsSchema, context.options[0]);
    const kept = tableFilter(options.ignoreTables);
    return {
      Program(program) {
        const found = historyFor(context, program);
        if (!found) return;
        for (const table of tablesWithoutRowSecurity(found.history, found.exposed, found.file)) {
          if (!kept(table)) continue;
          // Reported where the table lost its row level security: the DISABLE, else the CREATE TABLE.
          const site = table.rowSecurity.site ?? table.created!;
          context.report({
            loc: site.loc,
            messageId: table.rowSecurity.site ? "disabledHere" : "noRowSecurity",
            data: { table: qualifiedName(table), schema: table.schema },
          });
        }
      },
    };
  },
});
