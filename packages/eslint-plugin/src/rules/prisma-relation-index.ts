import path from "node:path";
import { unindexedRelations, type Block, type ColumnOrder, type MigrationHistory, type ModelInfo, type RelationInfo } from "@archlint/core";
import { z } from "zod";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { createPrismaRule } from "../utils/prisma-rule.js";
import { indexInsertion } from "../analysis/libraries/prisma-schema.js";
import { migrationIndexFor, schemaHistories } from "../analysis/libraries/sql-migrations.js";

const optionsSchema = z
  .object({
    ignoreModels: z.array(z.string().min(1)).default([]).describe("Models whose relations are not checked (small lookup tables, where a scan is cheap)."),
    order: z
      .enum(["any", "exact"])
      .default("any")
      .describe(
        'Which indexes serve a relation: "any" (default), one whose leading columns are the relation\'s fields in any order, as the database uses it; "exact", only in the relation\'s order, as Prisma\'s own relationMode = "prisma" warning reads it.',
      ),
  })
  .strict();

function fkLabel(model: ModelInfo, relation: RelationInfo): string {
  return relation.fields.length === 1 ? `${model.name}.${relation.fields[0]}` : `${model.name}(${relation.fields.join(", ")})`;
}

/** Under `order: "exact"`, an index with the same fields in another order: worth naming, it is the usual near-miss. */
function sameFieldsOtherOrder(model: ModelInfo, fk: string[], order: ColumnOrder): string | null {
  if (order !== "exact") return null;
  const sorted = [...fk].sort().join("\0");
  const idx = model.indexes.find(
    (i) =>
      i.kind !== "fulltext" &&
      i.algorithm === null &&
      i.fields.length >= fk.length &&
      fk.some((f, k) => i.fields[k] !== f) &&
      [...i.fields.slice(0, fk.length)].sort().join("\0") === sorted,
  );
  return idx ? `@@${idx.kind === "id" ? "id" : idx.kind}([${idx.fields.join(", ")}])` : null;
}

export default createPrismaRule<"missingIndex" | "missingIndexWithMigrations" | "wrongOrder">({
  name: "prisma-relation-index",
  meta: {
    type: "problem",
    docs: {
      description: "Require an index that starts with the foreign-key fields of every relation",
      recommended: "recommended",
      headline: "unindexed-relations",
    },
    fixable: "code",
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      missingIndex:
        "`{{fk}}` (relation `{{relation}}` -> `{{target}}`) has no index that starts with it: every lookup of a `{{target}}`'s `{{model}}` rows, and every delete or update of a `{{target}}`, scans `{{model}}`. Add `@@index([{{fields}}])`.",
      missingIndexWithMigrations:
        "`{{fk}}` (relation `{{relation}}` -> `{{target}}`) has no index that starts with it, in the schema or in the SQL migrations ({{migrations}}): every lookup of a `{{target}}`'s `{{model}}` rows, and every delete or update of a `{{target}}`, scans `{{model}}`. Add `@@index([{{fields}}])`.",
      wrongOrder:
        '`{{fk}}` (relation `{{relation}}` -> `{{target}}`) has no index that starts with it in this order (`{{other}}` has its fields in another order, and `order: "exact"` asks for the relation\'s order, as Prisma does). Add `@@index([{{fields}}])`.',
    },
  },
  create(context) {
    const options = parseOptions(optionsSchema, context.options[0]);
    const model = context.sourceCode.schema?.model;
    if (!model) return {};
    const ignored = new Set(options.ignoreModels);
    const location = context.sourceCode.schema?.location;
    let histories: MigrationHistory[] | undefined;
    // The project's SQL migrations, read when a relation has no index in the schema: an index
    // created by hand in a migration.sql (or in settings.archlint.migrations) serves it too.
    const migrations = (): MigrationHistory[] => (histories ??= location ? schemaHistories(context, location) : []);
    return {
      Block(block: Block) {
        if (block.kind !== "model" || ignored.has(block.name.name)) return;
        const info = model.models.get(block.name.name);
        // The model map holds this file's own AST nodes; anything else is a duplicate name Prisma rejected.
        if (!info || info.node !== block) return;
        for (const relation of unindexedRelations(model, info, options.order)) {
          if (migrationIndexFor(migrations(), info, relation.fields, options.order)) continue;
          const other = sameFieldsOtherOrder(info, relation.fields, options.order);
          const fields = relation.fields.join(", ");
          const read = migrations().map((h) => path.relative(context.cwd, h.folder!).split(path.sep).join("/") || ".");
          context.report({
            node: relation.attribute,
            messageId: other ? "wrongOrder" : read.length > 0 ? "missingIndexWithMigrations" : "missingIndex",
            data: {
              fk: fkLabel(info, relation),
              relation: relation.fieldName,
              target: relation.targetModel,
              model: info.name,
              fields,
              other: other ?? "",
              migrations: read.map((r) => `\`${r}\``).join(", "),
            },
            fix: (fixer) => {
              // A full-text index on exactly these fields already has the default name `<table>_<columns>_idx`.
              const taken = info.indexes.some((i) => i.kind === "fulltext" && i.fields.join("\0") === relation.fields.join("\0"));
              const map = taken ? `, map: "${info.dbName}_${relation.fields.join("_")}_fk_idx"` : "";
              const insertion = indexInsertion(context.sourceCode.text, block, `@@index([${fields}]${map})`);
              return insertion ? fixer.insertTextAfterRange(insertion.after, insertion.text) : null;
            },
          });
        }
      },
    };
  },
});
