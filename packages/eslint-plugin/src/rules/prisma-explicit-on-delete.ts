import { argument, onDeleteChoices, type Block, type Comment, type ModelInfo, type ReferentialAction, type RelationInfo } from "@archlint/core";
import { z } from "zod";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { createPrismaRule, type PrismaSuggestion } from "../utils/prisma-rule.js";
import { lineStartOf } from "../analysis/libraries/prisma-schema.js";

const optionsSchema = z
  .object({
    ignoreModels: z
      .array(z.string().min(1))
      .default([])
      .describe("Models whose relations are not checked (generated or introspected models whose actions live in the database)."),
  })
  .strict();

type MessageIds = "implicitOnDelete" | "setOnDelete";

/** What each action does to the rows of `model` when their `target` row is deleted, for the suggestions. */
function meaning(action: ReferentialAction, model: string, target: string, fk: string, emulated: boolean): string {
  switch (action) {
    case "Cascade":
      return `deleting a \`${target}\` deletes its \`${model}\` rows`;
    case "Restrict":
      return `a \`${target}\` that \`${model}\` rows point at cannot be deleted`;
    case "NoAction":
      // Prisma's relation-mode docs: emulated NoAction checks nothing.
      return emulated
        ? `nothing is checked under Prisma's emulated relations: \`${model}\` rows keep pointing at a deleted \`${target}\``
        : "like Restrict, but the database may check at the end of the statement or transaction";
    case "SetNull":
      return `\`${fk}\` becomes null`;
    case "SetDefault":
      return `\`${fk}\` goes back to its \`@default\``;
  }
}

/** What the implicit action does, in the message. */
function consequence(action: ReferentialAction, model: string, target: string, fk: string): string {
  return action === "SetNull"
    ? `sets \`${fk}\` to null when the \`${target}\` goes`
    : `makes deleting a \`${target}\` fail while any \`${model}\` row points at it`;
}

/** Where `, onDelete: X` goes: before `onUpdate:` when it is written (the order Prisma's docs use), else after the last argument. */
function insertionPoint(relation: RelationInfo): [number, number] | null {
  const args = relation.attribute.args ?? [];
  const onUpdate = args.findIndex((a) => a.name?.name === "onUpdate");
  const before = onUpdate > 0 ? args[onUpdate - 1] : args.at(-1);
  return before ? before.range : null;
}

const SAYS_DELETE = /\bdelet/i;

/**
 * Does a comment on the relation field or one of its FK fields (at the end of its line, or in the
 * comment lines right above it) say what happens on delete (`// null once the rule is deleted`)?
 * Then the implicit action is the documented intent, and the finding would only ask to repeat it.
 */
function deleteDocumented(text: string, comments: readonly Comment[], info: ModelInfo, relation: RelationInfo): boolean {
  const fields = [relation.field, ...relation.fields.map((name) => info.fields.find((f) => f.name.name === name))];
  const ownLine = (c: Comment): boolean => text.slice(lineStartOf(text, c.range[0]), c.range[0]).trim() === "";
  const lines = new Set<number>();
  for (const field of fields) {
    if (!field) continue;
    lines.add(field.loc.start.line);
    for (let line = field.loc.start.line - 1; comments.some((c) => c.loc.start.line === line && ownLine(c)); line--) lines.add(line);
  }
  // An `eslint-disable` comment naming this rule says "delete" too, and says nothing about deletes.
  const says = (c: Comment): boolean => lines.has(c.loc.start.line) && !/^\s*eslint/.test(c.value) && SAYS_DELETE.test(c.value);
  return comments.some(says) || fields.some((f) => SAYS_DELETE.test(f?.documentation ?? ""));
}

function label(info: ModelInfo, relation: RelationInfo): string {
  return relation.fields.length === 1 ? `${info.name}.${relation.fields[0]}` : `${info.name}(${relation.fields.join(", ")})`;
}

export default createPrismaRule<MessageIds>({
  name: "prisma-explicit-on-delete",
  meta: {
    type: "suggestion",
    docs: {
      description: "Require an explicit `onDelete` on every relation that has foreign-key fields",
      recommended: "strict",
    },
    hasSuggestions: true,
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      implicitOnDelete:
        "`{{model}}.{{relation}}` (-> `{{target}}`) has no `onDelete`: Prisma's implicit `{{implicit}}` for {{arity}} relation {{consequence}}, and nothing in the schema says it is meant. Write the action you want: `onDelete: {{allowed}}`.",
      setOnDelete: "Add `onDelete: {{action}}`: {{meaning}}{{today}}.",
    },
  },
  create(context) {
    const options = parseOptions(optionsSchema, context.options[0]);
    const schema = context.sourceCode.schema?.model;
    if (!schema) return {};
    const ignored = new Set(options.ignoreModels);
    return {
      Block(block: Block) {
        if (block.kind !== "model" || ignored.has(block.name.name)) return;
        const info = schema.models.get(block.name.name);
        // The model map holds this file's own AST nodes; anything else is a duplicate name Prisma rejected.
        if (!info || info.node !== block) return;
        for (const relation of info.relations) {
          if (relation.fields.length === 0 || argument(relation.attribute, "onDelete") !== undefined) continue;
          if (deleteDocumented(context.sourceCode.text, context.sourceCode.comments, info, relation)) continue;
          const choices = onDeleteChoices(schema, info, relation);
          const fk = label(info, relation);
          const at = insertionPoint(relation);
          const suggest: PrismaSuggestion<MessageIds>[] = at
            ? choices.allowed.map((action) => ({
                messageId: "setOnDelete",
                data: {
                  action,
                  meaning: meaning(action, info.name, relation.targetModel, fk, choices.emulated),
                  today: action === choices.implicit ? " (what happens today)" : "",
                },
                fix: (fixer) => fixer.insertTextAfterRange(at, `, onDelete: ${action}`),
              }))
            : [];
          context.report({
            node: relation.attribute,
            messageId: "implicitOnDelete",
            data: {
              model: info.name,
              relation: relation.fieldName,
              target: relation.targetModel,
              implicit: choices.implicit,
              arity: choices.optional ? "an optional" : "a required",
              consequence: consequence(choices.implicit, info.name, relation.targetModel, fk),
              allowed: choices.allowed.join(" | "),
            },
            suggest,
          });
        }
      },
    };
  },
});
