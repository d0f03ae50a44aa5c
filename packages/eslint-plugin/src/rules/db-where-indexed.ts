import { z } from "zod";
import type { ModelInfo } from "@archlint/core";
import { readObject, unwrap, type Node } from "../analysis/syntax/ast.js";
import {
  getDbCall,
  kyselyWhereFields,
  leadsAnIndex,
  modelFor,
  projectSchema,
  unindexedRelationLedBy,
  whereScalarFields,
  type DbCall,
  type ProjectSchema,
  type WhereField,
} from "../analysis/libraries/db.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    ignoreModels: z.array(z.string().min(1)).default([]).describe("Models whose queries are not checked (small lookup tables, where a scan is cheap)."),
  })
  .strict();

type MessageIds = "unindexedWhere";

/** Operations whose `where` can match many rows (`findUnique*` / `update` / `delete` / `upsert` need a unique key, which is indexed). */
const FILTERED_OPERATIONS = new Set(["findFirst", "findFirstOrThrow", "findMany", "count", "updateMany", "updateManyAndReturn", "deleteMany"]);

interface Filter {
  model: ModelInfo;
  fields: WhereField[];
  /** Where to report. */
  at: Node;
  schema: ProjectSchema;
  /** `ctx.prisma.post.findMany`, `db.selectFrom("posts")` */
  call: string;
}

const list = (names: string[]): string => names.map((n) => `\`${n}\``).join(", ");

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "db-where-indexed",
  meta: {
    type: "suggestion",
    docs: {
      description: "Require an index that starts with one of the fields a Prisma or Kysely `where` filters on",
      recommended: "recommended",
      headline: "uncached-hot-queries",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      unindexedWhere:
        "`{{call}}` filters `{{model}}` on {{fields}}, and no index of `{{model}}` starts with {{which}}: the database reads every `{{model}}` row to answer it. Add `@@index([{{index}}])` to model `{{model}}`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    // A query in a test or a script run by hand serves no request: its scan costs no user anything.
    if (isNonRuntimeFile(context)) return {};
    const ignored = new Set(parseOptions(optionsSchema, rawOptions).ignoreModels);
    // Located and loaded at the first candidate call of the file, once (null: no valid schema).
    let loaded: ProjectSchema | null | undefined;
    const schemaOnce = (): ProjectSchema | null => (loaded === undefined ? (loaded = projectSchema(context)) : loaded);

    const filterOf = (db: DbCall): Filter | null => {
      if (!db.model) return null;
      if (db.library === "kysely") {
        const schema = db.operation === "insertInto" ? null : schemaOnce();
        const filter = schema ? kyselyWhereFields(context, db, schema) : null;
        return filter && schema ? { ...filter, schema, call: `${db.client}.${db.operation}("${db.model}")` } : null;
      }
      if (!FILTERED_OPERATIONS.has(db.operation) || !db.call.arguments[0]) return null;
      const args = readObject(context, db.call.arguments[0]);
      const where = args?.properties.get("where");
      const schema = where ? schemaOnce() : null;
      const model = schema ? modelFor(schema, db.model) : null;
      const fields = model && schema && where ? whereScalarFields(context, where.value, model, schema) : null;
      if (!model || !schema || !fields || !where) return null;
      // The `where:` of an inline argument object; the call when the arguments come from a constant.
      const at = args!.node === unwrap(db.call.arguments[0]) ? where : db.call;
      return { model, fields, at, schema, call: `${db.client}.${db.model}.${db.operation}` };
    };

    return {
      CallExpression(node) {
        const db = getDbCall(context, node);
        const filter = db ? filterOf(db) : null;
        if (!filter || ignored.has(filter.model.name)) return;
        const { model, fields, schema } = filter;
        if (fields.length === 0 || fields.some((f) => leadsAnIndex(schema, model, f.name))) return;
        // prisma-relation-index reports the missing relation index in the schema; its fix serves this filter.
        if (
          unindexedRelationLedBy(
            schema,
            model,
            fields.map((f) => f.name),
          )
        )
          return;
        // Only columns that narrow little (`isStatic`, `status`, `name: { not: "" }`): an index on them is bad advice.
        if (fields.every((f) => f.weak)) return;
        // Selective equality columns first, then the ones that narrow little, then ranges.
        const rank = (f: WhereField): number => (f.range ? 2 : 0) + (f.weak ? 1 : 0);
        const ordered = [...fields].sort((a, b) => rank(a) - rank(b)).map((f) => f.name);
        context.report({
          node: filter.at,
          messageId: "unindexedWhere",
          data: {
            call: filter.call,
            model: model.name,
            fields: list(fields.map((f) => f.name)),
            which: fields.length === 1 ? "it" : "any of them",
            index: ordered.join(", "),
          },
        });
      },
    };
  },
});
