import { argument, redundantIndexes, type Block, type IndexInfo } from "@archlint/core";
import { z } from "zod";
import { createPrismaRule, type PrismaFix, type PrismaFixer } from "../utils/prisma-rule.js";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { attributeRemoval } from "../analysis/libraries/prisma-schema.js";

const optionsSchema = z
  .object({
    ignoreModels: z
      .array(z.string().min(1))
      .default([])
      .describe("Models whose indexes are not checked (an index kept on purpose, say for a query planner hint)."),
  })
  .strict();

type MessageIds = "prefixIndex" | "duplicateIndex" | "removeNamedIndex";

/** `@@unique([orgId, slug])`, or `@unique` on `email`, for messages: the columns as written. */
function indexLabel(text: string, idx: IndexInfo, fieldName: string | null): string {
  if (!idx.node.isBlock) return `\`@${idx.node.name}\` on \`${fieldName ?? idx.fields[0]}\``;
  const fields = argument(idx.node, "fields", 0)?.value;
  const written = fields ? text.slice(fields.range[0], fields.range[1]) : idx.fields.join(", ");
  return `\`@@${idx.node.name}(${written})\``;
}

/** The name given with `map:` (or the older `name:`), which raw SQL or an index hint may use. */
function givenName(idx: IndexInfo): string | null {
  const value = (argument(idx.node, "map") ?? argument(idx.node, "name"))?.value;
  return value?.type === "StringLiteral" ? value.value : null;
}

export default createPrismaRule<MessageIds>({
  name: "prisma-redundant-index",
  meta: {
    type: "suggestion",
    docs: {
      description: "Disallow an `@@index` whose columns lead another index, unique constraint or primary key of the same model",
      recommended: "recommended",
    },
    fixable: "code",
    hasSuggestions: true,
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      prefixIndex:
        "{{index}} on `{{model}}` is redundant: {{cover}} starts with the same columns, so it answers every query this one does, while every write to `{{model}}` keeps both up to date. Remove {{index}}.",
      duplicateIndex:
        "{{index}} on `{{model}}` repeats {{cover}}: the database keeps two copies of the same index up to date on every write to `{{model}}`, and no query needs the second. Remove {{index}}.",
      removeNamedIndex: "Remove {{index}} (named `{{name}}`: first check that no raw query or index hint names it).",
    },
  },
  create(context) {
    const options = parseOptions(optionsSchema, context.options[0]);
    const model = context.sourceCode.schema?.model;
    if (!model) return {};
    const ignored = new Set(options.ignoreModels);
    const text = context.sourceCode.text;
    return {
      Block(block: Block) {
        if (block.kind !== "model" || ignored.has(block.name.name)) return;
        const info = model.models.get(block.name.name);
        // The model map holds this file's own AST nodes; anything else is a duplicate name Prisma rejected.
        if (!info || info.node !== block) return;
        const fieldOf = (idx: IndexInfo): string | null => info.fields.find((f) => f.attributes.includes(idx.node))?.name.name ?? null;
        for (const { index, coveredBy, duplicate } of redundantIndexes(info)) {
          const label = indexLabel(text, index, null);
          const data = { index: label, cover: indexLabel(text, coveredBy, fieldOf(coveredBy)), model: info.name };
          const removal = attributeRemoval(text, block, index.node);
          const remove = (fixer: PrismaFixer): PrismaFix | null => (removal ? fixer.removeRange(removal) : null);
          // A name someone chose may be used outside the schema (`USE INDEX (...)`, a hint, a
          // monitoring query): removing it is the user's call, so it is offered, not applied.
          const name = givenName(index);
          context.report({
            node: index.node,
            messageId: duplicate ? "duplicateIndex" : "prefixIndex",
            data,
            fix: name === null ? remove : null,
            suggest: name === null ? [] : [{ messageId: "removeNamedIndex", data: { index: label, name }, fix: remove }],
          });
        }
      },
    };
  },
});
