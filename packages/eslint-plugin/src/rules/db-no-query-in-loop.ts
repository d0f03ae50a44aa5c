import { z } from "zod";
import { AST_NODE_TYPES } from "@typescript-eslint/types";
import type { Node } from "../analysis/syntax/ast.js";
import { getDbCall, getDbTemplateCall, isBatchedBy, isPagedRead, isTemplateBatchedBy, type DbCall, type DbKind } from "../analysis/libraries/db.js";
import { enclosingLoop } from "../analysis/flow/loops.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    allowInTransaction: z.boolean().default(false).describe("Allow writes that a loop adds to one `$transaction` (they still cost one statement each)."),
  })
  .strict();

type MessageIds = "readInLoop" | "writeInLoop" | "writeInTransaction";

/** How the call reads in a message: `ctx.prisma.user.findUnique`, `db.selectFrom("users")...execute`. */
function callLabel(db: DbCall): string {
  if (db.library === "prisma") return db.model ? `${db.client}.${db.model}.${db.operation}` : `${db.client}.${db.operation}`;
  const table = db.model ? `"${db.model}"` : "...";
  return `${db.client || "db"}.${db.operation}(${table})`;
}

function batchFix(db: Pick<DbCall, "library" | "kind" | "raw" | "model" | "operation">): string {
  if (db.library === "kysely") {
    return db.kind === "read"
      ? 'Load every row in one query before the loop (`.where("id", "in", ids)`) or join the table into the query that produced the list'
      : 'Write every row in one statement (`.values(rows)`, or `.where("id", "in", ids)` for updates and deletes)';
  }
  if (db.raw) {
    return db.kind === "read"
      ? "Load every row in one query before the loop (`WHERE id IN (${Prisma.join(ids)})`)"
      : "Write every row in one statement (`Prisma.join` the rows into one `INSERT` / `UPDATE`)";
  }
  const model = db.model ?? "model";
  if (db.kind === "read") {
    return `Load every row in one query before the loop (\`${model}.findMany({ where: { id: { in: ids } } })\`) or with \`include\` on the query that produced the list`;
  }
  if (db.operation.startsWith("create")) return `Write every row in one statement (\`${model}.createMany({ data: rows })\`)`;
  if (db.operation.startsWith("delete")) return `Delete every row in one statement (\`${model}.deleteMany({ where: { id: { in: ids } } })\`)`;
  if (db.operation === "upsert")
    return `Write every row in one statement (\`${model}.createMany({ data: rows, skipDuplicates: true })\` then one \`updateMany\`, or one \`INSERT ... ON CONFLICT\` with \`$executeRaw\`)`;
  return `Update every row in one statement when they share the change (\`${model}.updateMany({ where: { id: { in: ids } }, data })\`)`;
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "db-no-query-in-loop",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow database queries inside loops and array callbacks (N+1 queries)",
      recommended: "recommended",
      headline: "uncached-hot-queries",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      readInLoop: "`{{call}}` runs once per iteration of {{loop}}: N items cost N database round trips (N+1 queries). {{fix}}.",
      writeInLoop: "`{{call}}` runs once per iteration of {{loop}}: N items cost N statements and N round trips. {{fix}}.",
      writeInTransaction:
        "`{{call}}` runs once per iteration of {{loop}} inside a transaction: the batch is atomic but still sends N statements and holds its locks for all of them. {{fix}}, or set `allowInTransaction` if each row needs its own data.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const { allowInTransaction } = parseOptions(optionsSchema, rawOptions);
    const check = (node: Node, call: string, kind: DbKind, fix: string, db: DbCall | null): void => {
      const template = node.type === AST_NODE_TYPES.TaggedTemplateExpression ? node : null;
      const loop = enclosingLoop(context, node);
      // Not once per item: the result ends the loop, a failure path, a retry / poll / drain loop, a fixed list.
      if (!loop || loop.exitsLoop || loop.exceptional || loop.bounded) return;
      if (db && loop.conditional && kind === "read" && isPagedRead(context, db)) return;
      // One statement per chunk (the item) or per page read in the iteration (a list built from it).
      if (db && (isBatchedBy(context, db, loop.itemNames) || isBatchedBy(context, db, loop.pageNames, true))) return;
      if (template && (isTemplateBatchedBy(template, loop.itemNames) || isTemplateBatchedBy(template, loop.pageNames, true))) return;
      const data = { call, loop: loop.label, fix };
      if (kind === "read") context.report({ node, messageId: "readInLoop", data });
      else if (!loop.inTransaction) context.report({ node, messageId: "writeInLoop", data });
      else if (!allowInTransaction) context.report({ node, messageId: "writeInTransaction", data });
    };
    return {
      CallExpression(node) {
        const db = getDbCall(context, node);
        if (db && db.kind !== "transaction") check(node, callLabel(db), db.kind, batchFix(db), db);
      },
      TaggedTemplateExpression(node) {
        const raw = getDbTemplateCall(context, node);
        if (!raw) return;
        const fix = batchFix({ library: "prisma", kind: raw.kind, raw: true, model: null, operation: raw.operation });
        check(node, `${raw.client}.${raw.operation}`, raw.kind, fix, null);
      },
    };
  },
});
