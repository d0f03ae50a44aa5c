import { z } from "zod";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { createSqlRule } from "../utils/sql-rule.js";
import { historyFor, qualifiedName, tableFilter, unindexedForeignKeys } from "../analysis/libraries/sql-migrations.js";

const optionsSchema = z
  .object({
    ignoreTables: z
      .array(z.string().min(1))
      .default([])
      .describe("Tables whose foreign keys are not checked (`name` in any schema, or `schema.name`): small lookup tables, where a scan is cheap."),
  })
  .strict();

export default createSqlRule<"missingIndex">({
  name: "sql-fk-index",
  meta: {
    type: "problem",
    docs: {
      description: "Require an index that starts with the columns of every foreign key, by the end of the migrations",
      recommended: "recommended",
      headline: "unindexed-relations",
    },
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      missingIndex:
        "Foreign key `{{table}}({{columns}})` -> `{{target}}` has no index that starts with its columns: every delete or key change in `{{target}}`, and every lookup of one `{{target}}` row's `{{table}}` rows, scans `{{table}}`. Add `create index on {{table}} ({{columns}});` in a migration.",
    },
  },
  create(context) {
    const options = parseOptions(optionsSchema, context.options[0]);
    const kept = tableFilter(options.ignoreTables);
    return {
      Program(program) {
        const found = historyFor(context, program);
        // Prisma Migrate generates this SQL from schema.prisma, where prisma-relation-index reports
        // the same relation and its fix belongs; an applied migration is not edited.
        if (!found || found.history.prismaMigrate) return;
        for (const { table, foreignKey } of unindexedForeignKeys(found.history, found.file)) {
          if (!kept(table)) continue;
          context.report({
            loc: foreignKey.site.loc,
            messageId: "missingIndex",
            data: { table: qualifiedName(table), columns: foreignKey.columns.join(", "), target: qualifiedName(foreignKey.references) },
          });
        }
      },
    };
  },
});
