import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { outermostCast, readObject, resolveValue, type Context, type Node, type ObjectShape } from "../analysis/syntax/ast.js";
import { endpointOf } from "../analysis/frameworks/endpoint.js";
import { handlerInputReads, type FastifyRoute, type RequestInput } from "../analysis/frameworks/fastify.js";
import { typeHasProperties, typeInfo } from "../analysis/syntax/types.js";
import { classifyValidator, VALIDATOR_LIBRARIES } from "../analysis/libraries/validators.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

/** TypeBox builds JSON Schema, so it counts as "json-schema" here. */
const ROUTE_VALIDATORS = VALIDATOR_LIBRARIES.filter((l) => l !== "typebox") as [string, ...string[]];

const optionsSchema = z
  .object({
    validators: z.array(z.enum(ROUTE_VALIDATORS)).default(["zod", "json-schema"]).describe("Schema kinds that count as validation."),
    response: z.enum(["off", "2xx", "all"]).default("off").describe("Also require response schemas: none, one for a 2xx status (or `default`), or any."),
  })
  .strict();

type Options = z.output<typeof optionsSchema>;
type MessageIds = "unvalidatedInput" | "docsOnlySchema" | "weakSchema" | "disallowedValidator" | "missingResponse" | "missingSuccessResponse";

/** The `schema` key that validates each part of the request; Fastify also accepts `query` for `querystring`. */
const SCHEMA_KEYS: Record<RequestInput, string[]> = {
  body: ["body"],
  query: ["querystring", "query"],
  params: ["params"],
  headers: ["headers"],
};
/** "the body reaches": what goes unvalidated, for messages. */
const PART: Record<RequestInput, string> = {
  body: "the body reaches",
  query: "the querystring reaches",
  params: "the URL parameters reach",
  headers: "the headers reach",
};
/** Schema keys that only document the route (OpenAPI): a schema of these alone validates nothing. */
const DOC_KEYS = new Set(["tags", "description", "summary", "operationId", "security", "hide", "deprecated", "externalDocs", "consumes", "produces"]);
const SUCCESS_STATUS = /^(2\d\d|2xx|default)$/i;
const LIBRARY_LABEL: Record<string, string> = { "json-schema": "a JSON Schema", zod: "Zod", effect: "Effect Schema", arktype: "ArkType" };

const FIX = "with a Zod type provider (fastify-type-provider-zod), or a JSON Schema";

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "fastify-require-schema",
  meta: {
    type: "problem",
    docs: {
      description: "Require Fastify routes that read the request body, querystring, params or headers to validate them with a route schema",
      recommended: "recommended",
      strictOptions: { response: "2xx" },
      headline: "missing-zod-inputs",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      unvalidatedInput:
        "Route `{{route}}` reads `request.{{member}}`{{where}} with no `schema.{{key}}`: {{part}} the handler unvalidated (a TypeScript type is not a check). Add `schema: { {{key}}: ... }` " +
        FIX +
        ".",
      docsOnlySchema:
        "Route `{{route}}` reads `request.{{member}}`{{where}}, but its `schema` holds only documentation ({{docKeys}}), which validates nothing: {{part}} the handler unvalidated. Add `{{key}}` to the schema " +
        FIX +
        ".",
      weakSchema:
        "Route `{{route}}` validates `request.{{member}}` with {{what}}, which accepts anything: {{part}} the handler unvalidated. Describe its fields with a Zod schema or a JSON Schema.",
      disallowedValidator:
        "Route `{{route}}` validates `request.{{member}}` with {{library}}, which is not an allowed validator ({{allowed}}): the project's checks and error formatting assume those. Use a Zod schema with a Zod type provider, or allow it in the rule's `validators` option.",
      missingResponse:
        "Route `{{route}}` has no `schema.response`: every field the handler returns is sent (accidental disclosure) and Fastify cannot use its fast serializer. Add `schema: { response: { 200: ... } }`.",
      missingSuccessResponse:
        "Route `{{route}}` has no response schema for a 2xx status: every field a successful reply returns is sent (accidental disclosure) and Fastify cannot use its fast serializer. Add `response: { 200: ... }` to its schema.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    const options = parseOptions(optionsSchema, rawOptions);
    return {
      CallExpression(node) {
        const endpoint = endpointOf(context, node);
        if (endpoint?.framework !== "fastify") return;
        checkInputs(context, endpoint.route, options);
        checkResponse(context, endpoint.route, options);
      },
    };
  },
});

function checkInputs(context: Context, route: FastifyRoute, options: Options): void {
  if (route.schema.kind === "opaque") return;
  const shape = route.schema.kind === "object" ? route.schema.shape : null;
  const seen = new Set<string>();
  for (const read of handlerInputReads(context, route)) {
    const member = read.member as RequestInput;
    if (seen.has(member) || (member === "params" && readsOnlyWildcard(read.node)) || castToUnknown(read.node)) continue;
    seen.add(member);
    const data = {
      route: route.label,
      member,
      part: PART[member],
      key: SCHEMA_KEYS[member][0]!,
      where: read.via ? ` (in \`${read.via}\`)` : "",
    };
    const at = read.node ?? route.handlerArg ?? route.call;
    const prop = SCHEMA_KEYS[member].map((k) => shape?.properties.get(k)).find((p) => p !== undefined);
    if (!prop) {
      // A spread we could not read may hold the key.
      if (shape && !shape.complete) continue;
      const docKeys = shape ? [...shape.properties.keys()] : [];
      if (docKeys.length > 0 && docKeys.every((k) => DOC_KEYS.has(k))) {
        context.report({ node: at, messageId: "docsOnlySchema", data: { ...data, docKeys: docKeys.map((k) => `\`${k}\``).join(", ") } });
      } else {
        context.report({ node: at, messageId: "unvalidatedInput", data });
      }
      continue;
    }
    const verdict = validatorVerdict(context, prop.value, options);
    if (verdict.kind === "weak") {
      context.report({ node: prop.value, messageId: "weakSchema", data: { ...data, what: verdict.what } });
    } else if (verdict.kind === "disallowed") {
      context.report({
        node: prop.value,
        messageId: "disallowedValidator",
        data: { ...data, library: LIBRARY_LABEL[verdict.library] ?? verdict.library, allowed: options.validators.join(", ") },
      });
    }
  }
}

/** `request.params["*"]`: a wildcard route's rest of the path, which Fastify always gives as a string. */
function readsOnlyWildcard(read: Node | null): boolean {
  if (read?.type !== AST_NODE_TYPES.MemberExpression) return false;
  // Through casts: `(request.params as Record<string, string>)["*"]`.
  const value = outermostCast(read);
  const parent = value.parent;
  return (
    parent?.type === AST_NODE_TYPES.MemberExpression &&
    parent.object === value &&
    parent.computed &&
    parent.property.type === AST_NODE_TYPES.Literal &&
    parent.property.value === "*"
  );
}

/**
 * `request.query as Record<string, unknown>` / `as unknown`: the code itself types the input as
 * untrusted, so TypeScript makes it narrow every value before use (a check by hand).
 */
function castToUnknown(read: Node | null): boolean {
  const parent = read?.parent;
  if (parent?.type !== AST_NODE_TYPES.TSAsExpression && parent?.type !== AST_NODE_TYPES.TSSatisfiesExpression) return false;
  const type = parent.typeAnnotation;
  if (type.type === AST_NODE_TYPES.TSUnknownKeyword) return true;
  const args =
    type.type === AST_NODE_TYPES.TSTypeReference && type.typeName.type === AST_NODE_TYPES.Identifier && type.typeName.name === "Record"
      ? type.typeArguments?.params
      : undefined;
  return args?.length === 2 && args[1]!.type === AST_NODE_TYPES.TSUnknownKeyword;
}

type Verdict = { kind: "ok" } | { kind: "weak"; what: string } | { kind: "disallowed"; library: string };

function validatorVerdict(context: Context, value: Node, options: Options): Verdict {
  const resolved = resolveValue(context, value);
  if (resolved.type === AST_NODE_TYPES.ObjectExpression && resolved.properties.length === 0) return { kind: "weak", what: "an empty JSON Schema (`{}`)" };
  const allowed = new Set<string>(options.validators);
  const validator = classifyValidator(context, value, false);
  if (validator.kind === "library") {
    if (validator.weak) return { kind: "weak", what: `\`${validator.weak}\`` };
    const library = validator.library === "typebox" ? "json-schema" : validator.library;
    return allowed.has(library) ? { kind: "ok" } : { kind: "disallowed", library };
  }
  // An imported schema cannot be read without types; with them, a non-Zod object is JSON Schema.
  const info = typeInfo(context);
  if (validator.kind !== "trusted" || !info || allowed.has("json-schema")) return { kind: "ok" };
  if (typeHasProperties(info, resolved, ["safeParse"]) !== false) return { kind: "ok" };
  const jsonSchema = ["type", "$ref", "properties", "anyOf", "oneOf", "allOf"].some((k) => typeHasProperties(info, resolved, [k]) === true);
  return jsonSchema ? { kind: "disallowed", library: "json-schema" } : { kind: "ok" };
}

function checkResponse(context: Context, route: FastifyRoute, options: Options): void {
  if (options.response === "off" || route.schema.kind === "opaque") return;
  const shape: ObjectShape | null = route.schema.kind === "object" ? route.schema.shape : null;
  if (shape && !shape.complete && !shape.properties.has("response")) return;
  const response = shape?.properties.get("response");
  const at = route.call.callee.type === AST_NODE_TYPES.MemberExpression ? route.call.callee.property : route.call;
  if (!response) {
    context.report({ node: at, messageId: "missingResponse", data: { route: route.label } });
    return;
  }
  if (options.response !== "2xx") return;
  const statuses = readObject(context, response.value);
  if (!statuses || [...statuses.properties.keys()].some((k) => SUCCESS_STATUS.test(k)) || !statuses.complete) return;
  context.report({ node: response.value, messageId: "missingSuccessResponse", data: { route: route.label } });
}
