import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { moduleDeclares, type Context, type Node } from "../analysis/syntax/ast.js";
import { crossFileReads, paramMemberReads } from "../analysis/syntax/param-reads.js";
import { builderRawInputReads, inheritedInputState, rawInputReads } from "../analysis/frameworks/trpc-input.js";
import { endpointOf, type Endpoint } from "../analysis/frameworks/endpoint.js";
import type { Procedure } from "../analysis/frameworks/trpc.js";
import { classifyValidator, VALIDATOR_LIBRARIES } from "../analysis/libraries/validators.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    validators: z
      .array(z.enum(VALIDATOR_LIBRARIES.filter((l) => l !== "json-schema") as [string, ...string[]]))
      .default(["zod"])
      .describe("Validator libraries whose schemas count as validation."),
    forbidUnknownKeys: z
      .boolean()
      .default(false)
      .describe("Report object schemas that let unknown keys through (`.passthrough()`, `.loose()`, `z.looseObject()`, `.catchall()`)."),
  })
  .strict();

type MessageIds = "missingInput" | "weakInput" | "disallowedValidator" | "rawInput" | "addInput";

function label(endpoint: Endpoint): string {
  return endpoint.path ? `Procedure \`${endpoint.path}\`` : `This \`${endpoint.label}\` procedure`;
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "trpc-require-input",
  meta: {
    type: "problem",
    docs: {
      description: "Require tRPC procedures that read client input to validate it with a Zod `.input()`",
      recommended: "recommended",
      headline: "missing-zod-inputs",
    },
    hasSuggestions: true,
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      missingInput:
        "{{label}} reads `input` but has no `.input()`: client input reaches the resolver unvalidated. Add `.input(z.object({ ... }))` before `.{{kind}}()`.",
      weakInput:
        "{{label}} validates its input with {{what}}, which accepts anything: client input reaches the resolver unvalidated. Describe the input with a Zod schema (`z.object({ ... })`).",
      disallowedValidator:
        "{{label}} validates its input with {{library}}, which is not an allowed validator ({{allowed}}): the project's checks and error formatting assume those. Use a Zod schema, or add \"{{library}}\" to the rule's `validators` option.",
      rawInput: "{{label}} reads raw input (`{{what}}`), which bypasses `.input()` validation. Read the validated `input` instead.",
      addInput: "Add `.input(z.object({}))` before `.{{kind}}()`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    const options = parseOptions(optionsSchema, rawOptions);
    const allowed = new Set(options.validators);
    const checkedInputs = new Set<Node>();
    return {
      VariableDeclarator(node) {
        if (node.id.type !== AST_NODE_TYPES.Identifier) return;
        for (const read of builderRawInputReads(context, node)) {
          context.report({ node: read.node, messageId: "rawInput", data: { label: `The middleware of builder \`${node.id.name}\``, what: read.what } });
        }
      },
      CallExpression(node) {
        const endpoint = endpointOf(context, node);
        if (endpoint?.framework !== "trpc") return;
        const procedure = endpoint.procedure;
        const data = { label: label(endpoint), kind: procedure.kind };

        for (const input of procedure.inputs) {
          if (input.args.length === 0 || checkedInputs.has(input.call)) continue;
          checkedInputs.add(input.call);
          const validator = classifyValidator(context, input.args[0] as Node, options.forbidUnknownKeys);
          if (validator.kind === "identity" || (validator.kind === "library" && validator.weak)) {
            context.report({
              node: input.args[0]!,
              messageId: "weakInput",
              data: { ...data, what: validator.kind === "identity" ? validator.weak : `\`${validator.weak}\`` },
            });
          } else if (validator.kind === "library" && !allowed.has(validator.library)) {
            context.report({
              node: input.args[0]!,
              messageId: "disallowedValidator",
              data: { ...data, library: validator.library, allowed: [...allowed].join(", ") },
            });
          }
        }

        const resolver = endpoint.handler;
        for (const read of rawInputReads(context, procedure, resolver)) {
          context.report({ node: read.node, messageId: "rawInput", data: { ...data, what: read.what } });
        }

        if (procedure.inputs.length > 0 || !procedure.resolverArg) return;
        const reads = resolverInputReads(context, procedure, resolver);
        if (!reads) return;
        if (inheritedInputState(context, procedure, resolver) !== "none") return;
        context.report({
          node: procedure.terminalMember.property,
          messageId: "missingInput",
          data,
          suggest: [
            {
              messageId: "addInput",
              data,
              fix: (fixer) => {
                const fixes = [fixer.insertTextAfter(procedure.terminalMember.object, ".input(z.object({}))")];
                // `z` from anywhere (zod itself, or a package that re-exports it) is used as it is.
                if (!moduleDeclares(context, "z")) {
                  fixes.push(fixer.insertTextBeforeRange([0, 0], 'import { z } from "zod";\n'));
                }
                return fixes;
              },
            },
          ],
        });
      },
    };
  },
});

/** Does the resolver read `input`? Inline, local, or (with types) a handler in another file. */
function resolverInputReads(context: Context, procedure: Procedure, resolver: Endpoint["handler"]): boolean {
  if (resolver) return paramMemberReads(context, resolver, 0, ["input"]).length > 0;
  const arg = procedure.resolverArg;
  if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return false;
  // An imported handler passed directly: `.query(getUserHandler)`.
  return crossFileReads(context, arg, 0, new Set(["input"])).length > 0;
}
