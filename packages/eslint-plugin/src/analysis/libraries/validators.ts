import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { decomposeChain, isFunction, resolveBinding, unwrap, type Context, type Node } from "../syntax/ast.js";
import type { FunctionNode } from "../syntax/functions.js";

/**
 * What a value passed as a validator is: a Zod schema (and whether it is one that accepts
 * anything), another library's schema, an identity/cast function, or something we cannot tell
 * (an imported schema, a custom parser) and so trust.
 */

export const VALIDATOR_LIBRARIES = ["zod", "valibot", "effect", "arktype", "yup", "superstruct", "typebox", "json-schema"] as const;
export type ValidatorLibrary = (typeof VALIDATOR_LIBRARIES)[number];

export type Validator = { kind: "library"; library: ValidatorLibrary; weak: string | null } | { kind: "identity"; weak: string } | { kind: "trusted" };

const MODULE_LIBRARY: Array<[RegExp, ValidatorLibrary]> = [
  [/^zod(\/.*)?$/, "zod"],
  [/^valibot$/, "valibot"],
  [/^(effect|effect\/Schema|@effect\/schema(\/.*)?)$/, "effect"],
  [/^arktype$/, "arktype"],
  [/^yup$/, "yup"],
  [/^superstruct$/, "superstruct"],
  [/^@sinclair\/typebox(\/.*)?$/, "typebox"],
];

export function libraryOfModule(source: string): ValidatorLibrary | null {
  for (const [pattern, lib] of MODULE_LIBRARY) if (pattern.test(source)) return lib;
  return null;
}

/** Zod schemas that accept any value: `z.any()`, `z.unknown()`, `z.custom<T>()` without a check. */
const ZOD_ANYTHING = new Set(["any", "unknown"]);
/** Links that keep "accepts anything" true when they follow such a schema. */
const NEUTRAL_LINKS = new Set(["optional", "nullable", "nullish", "default", "describe", "openapi", "meta", "catch", "brand", "readonly"]);

const LOOSE_LINKS = new Set(["passthrough", "loose", "looseObject", "catchall", "nonstrict"]);

function zodWeakness(links: Array<{ name: string; args: unknown[] }>, forbidUnknownKeys: boolean): string | null {
  const [first, ...rest] = links;
  if (!first) return null;
  const onlyNeutral = rest.every((l) => NEUTRAL_LINKS.has(l.name));
  if (ZOD_ANYTHING.has(first.name) && onlyNeutral) return `z.${first.name}()`;
  if (first.name === "custom" && first.args.length === 0 && onlyNeutral) return "z.custom() without a check function";
  if (forbidUnknownKeys) {
    // `.catchall(schema)` keeps unknown keys too (typed by `schema`); `.nonstrict()` is Zod 1's `.passthrough()`.
    const loose = links.find((l) => LOOSE_LINKS.has(l.name));
    if (loose) return loose.name === "looseObject" ? "z.looseObject()" : loose.name === "catchall" ? ".catchall(...)" : `.${loose.name}()`;
  }
  return null;
}

/** Is `fn` `(v) => v`, `(v) => v as T`, `(v: unknown) => v as any` (or the block-bodied form)? */
function isIdentityFunction(fn: FunctionNode): boolean {
  const param = fn.params[0];
  if (!param || param.type !== AST_NODE_TYPES.Identifier) return false;
  let returned: Node | null | undefined = null;
  if (fn.body.type === AST_NODE_TYPES.BlockStatement) {
    if (fn.body.body.length !== 1) return false;
    const only = fn.body.body[0]!;
    if (only.type !== AST_NODE_TYPES.ReturnStatement) return false;
    returned = only.argument;
  } else {
    returned = fn.body;
  }
  if (!returned) return false;
  const inner = unwrap(returned);
  return inner.type === AST_NODE_TYPES.Identifier && inner.name === param.name;
}

export function classifyValidator(context: Context, node: Node, forbidUnknownKeys: boolean, depth = 0): Validator {
  const n = unwrap(node);
  if (depth > 4) return { kind: "trusted" };
  if (isFunction(n)) return isIdentityFunction(n) ? { kind: "identity", weak: "an identity/cast function" } : { kind: "trusted" };
  if (n.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, n);
    if (binding?.kind === "local" && binding.value) return classifyValidator(context, binding.value, forbidUnknownKeys, depth + 1);
    if (binding?.kind === "import") {
      const lib = libraryOfModule(binding.source);
      // `import { anySchema } from "zod"` is unusual; named schema imports from the project are trusted.
      if (lib && binding.imported !== "*" && binding.imported !== "default") return { kind: "library", library: lib, weak: null };
    }
    return { kind: "trusted" };
  }
  if (n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.MemberExpression) {
    let { base, links } = decomposeChain(n);
    // `object({...})`, `type({...})`: a library function imported by name, called.
    if (base.type === AST_NODE_TYPES.CallExpression && unwrap(base.callee).type === AST_NODE_TYPES.Identifier) {
      const callee = unwrap(base.callee) as TSESTree.Identifier;
      const binding = resolveBinding(context, callee);
      if (binding?.kind === "import" && libraryOfModule(binding.source)) {
        links = [{ name: binding.imported, call: base, args: base.arguments }, ...links];
        base = callee;
      }
    }
    if (base.type === AST_NODE_TYPES.Identifier) {
      const binding = resolveBinding(context, base);
      if (binding?.kind === "import") {
        const lib = libraryOfModule(binding.source);
        if (!lib) return { kind: "trusted" };
        return { kind: "library", library: lib, weak: lib === "zod" ? zodWeakness(links, forbidUnknownKeys) : null };
      }
      if (binding?.kind === "local" && binding.value && links.length > 0) {
        // `const base = z.object({...}); .input(base.extend({...}))`
        const inner = classifyValidator(context, binding.value, forbidUnknownKeys, depth + 1);
        if (inner.kind === "library") {
          const weak = inner.library === "zod" ? (zodWeakness(links, forbidUnknownKeys) ?? null) : null;
          return { ...inner, weak: weak ?? (links.every((l) => NEUTRAL_LINKS.has(l.name)) ? inner.weak : null) };
        }
        return inner;
      }
    }
    return { kind: "trusted" };
  }
  if (n.type === AST_NODE_TYPES.ObjectExpression) {
    // A plain object: a JSON Schema where routes take one; tRPC also accepts `{ parse }` parsers.
    const hasParse = n.properties.some(
      (p) => p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && /^(parse|validate|assert|create)$/.test(p.key.name),
    );
    return hasParse ? { kind: "trusted" } : { kind: "library", library: "json-schema", weak: null };
  }
  return { kind: "trusted" };
}

/** Does a Zod array schema cap its length: `z.array(x).max(50)`, `.length(3)`, `z.tuple([...])`, `x.array().max(50)`? */
export function zodCapsLength(node: Node): boolean {
  return decomposeChain(node).links.some((l) => l.name === "max" || l.name === "length" || l.name === "tuple");
}
