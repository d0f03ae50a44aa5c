import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import type { TSESLint } from "@typescript-eslint/utils";
import { parseSettings, type ArchlintSettings } from "@archlint/core";

/**
 * Small AST helpers shared by the recognisers: unwrapping casts, naming member chains, following
 * an identifier to what it was bound to (a local `const`, a function, an import). Everything here
 * answers "don't know" (null) rather than guessing or throwing on shapes it does not recognise.
 */

export type Node = TSESTree.Node;
export type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** Strip `x as T`, `x satisfies T`, `x!`, `<T>x` and optional-chain wrappers. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

const CASTS = new Set<string>([AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.TSSatisfiesExpression]);

/** The outermost `x as T` / `x!` / `x satisfies T` around `node` (itself when there is none): where its value is used. */
export function outermostCast(node: Node): Node {
  let current = node;
  while (current.parent && CASTS.has(current.parent.type)) current = current.parent;
  return current;
}

/** Does the statement leave its function: a `return` or `throw`, or a block whose last statement is one? */
export function endsInReturnOrThrow(statement: Node): boolean {
  const last = statement.type === AST_NODE_TYPES.BlockStatement ? statement.body.at(-1) : statement;
  return last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.ThrowStatement;
}

/** `ctx.db.user` for a chain of identifiers / `this`, else null. */
export function memberPath(node: Node): string | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.ThisExpression) return "this";
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const prop = propertyName(n);
    if (prop === null) return null;
    const obj = memberPath(n.object);
    return obj === null ? null : `${obj}.${prop}`;
  }
  return null;
}

/** The static name of `a.b` / `a["b"]`, else null. */
export function propertyName(node: TSESTree.MemberExpression): string | null {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.computed && node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === "string") {
    return node.property.value;
  }
  if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) return `#${node.property.name}`;
  return null;
}

/** The callee's property name for `x.y(...)`, or the identifier for `y(...)`. */
export function calleeName(call: TSESTree.CallExpression): string | null {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) return propertyName(callee);
  return null;
}

export { isFunctionNode as isFunction } from "./functions.js";

export interface ImportBinding {
  kind: "import";
  source: string;
  /** "default", "*" or the exported name. */
  imported: string;
  declaration: TSESTree.ImportDeclaration;
}

export interface LocalBinding {
  kind: "local";
  /** The initialiser of a `const`/`let`, or the function/class declaration itself. */
  value: Node | null;
  definition: Node;
}

export interface ParameterBinding {
  kind: "parameter";
  fn: Node;
  index: number;
}

export type Binding = ImportBinding | LocalBinding | ParameterBinding;

/** The variable an identifier names, looked up from its scope outwards; null for a global nothing declares. */
export function findVariable(context: Context, node: TSESTree.Identifier): TSESLint.Scope.Variable | null {
  let scope: TSESLint.Scope.Scope | null = context.sourceCode.getScope(node);
  while (scope) {
    const variable = scope.set.get(node.name);
    if (variable) return variable;
    scope = scope.upper;
  }
  return null;
}

/** What an identifier is bound to, or null (a global, or a shape we do not follow). */
export function resolveBinding(context: Context, node: TSESTree.Identifier): Binding | null {
  const variable = findVariable(context, node);
  const def = variable?.defs[0];
  if (!def) return null;
  switch (def.type) {
    case "ImportBinding": {
      const spec = def.node;
      const decl = def.parent as TSESTree.ImportDeclaration;
      const imported =
        spec.type === AST_NODE_TYPES.ImportDefaultSpecifier
          ? "default"
          : spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier
            ? "*"
            : spec.type === AST_NODE_TYPES.ImportSpecifier
              ? spec.imported.type === AST_NODE_TYPES.Identifier
                ? spec.imported.name
                : String(spec.imported.value)
              : "default";
      return { kind: "import", source: String(decl.source.value), imported, declaration: decl };
    }
    case "Variable": {
      const declarator = def.node as TSESTree.VariableDeclarator;
      // Only a plain `const x = ...` (or a never-reassigned let) names one value.
      const reassigned = variable!.references.some((r) => r.isWrite() && r.identifier !== declarator.id);
      if (reassigned || declarator.id.type !== AST_NODE_TYPES.Identifier) return { kind: "local", value: null, definition: declarator };
      return { kind: "local", value: declarator.init ?? null, definition: declarator };
    }
    case "FunctionName":
    case "ClassName":
      return { kind: "local", value: def.node as Node, definition: def.node as Node };
    case "Parameter": {
      const fn = def.node as Node;
      const params = "params" in fn ? (fn.params as Node[]) : [];
      const index = params.findIndex((p) => containsNode(p, def.name));
      return { kind: "parameter", fn, index };
    }
    default:
      return null;
  }
}

function containsNode(outer: Node, inner: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/**
 * Follow an expression through local `const` bindings (`const handler = async () => ...`,
 * `const schema = {...}`) to the value it stands for, at most `depth` hops.
 */
export function resolveValue(context: Context, node: Node, depth = 4): Node {
  let current = unwrap(node);
  for (let i = 0; i < depth && current.type === AST_NODE_TYPES.Identifier; i++) {
    const binding = resolveBinding(context, current);
    if (binding?.kind !== "local" || !binding.value) break;
    current = unwrap(binding.value);
  }
  return current;
}

/** Does the file import from one of these module names (or their subpaths)? */
/** Is `name` declared at the top of the module (an import, a const, a function)? For fixes that would add it. */
export function moduleDeclares(context: Context, name: string): boolean {
  let scope: TSESLint.Scope.Scope = context.sourceCode.getScope(context.sourceCode.ast);
  // The program's scope is the global one; an ES module's own declarations live in its module scope.
  const module = scope.childScopes.find((s) => s.type === "module");
  if (module) scope = module;
  return scope.set.has(name) || (scope.upper?.set.has(name) ?? false);
}

const settingsCache = new WeakMap<object, ArchlintSettings>();

/** `settings.archlint`, validated once per settings object; a bad key throws one clear error. */
export function archlintSettings(context: Context): ArchlintSettings {
  const all = context.settings as Record<string, unknown> | undefined;
  if (!all) return {};
  const cached = settingsCache.get(all);
  if (cached) return cached;
  const parsed = parseSettings(all.archlint);
  settingsCache.set(all, parsed);
  return parsed;
}

const SKIP_KEYS = new Set(["parent", "loc", "range", "tokens", "comments", "typeAnnotation", "returnType", "typeArguments", "typeParameters"]);

/** Visit every node under `node` (itself included), skipping type annotations; `visit` returning false skips a node's children. */
export function walk(node: TSESTree.Node, visit: (n: TSESTree.Node) => unknown): void {
  if (visit(node) === false) return;
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const c of child) if (c && typeof c === "object" && "type" in c) walk(c as TSESTree.Node, visit);
    } else if (child && typeof child === "object" && "type" in child) {
      walk(child as TSESTree.Node, visit);
    }
  }
}

/** The name a property or class member key stands for statically (`a`, `"a"`, `200`, `["a"]`), else null. */
export function staticKeyName(member: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | null {
  const key = member.key;
  if (!member.computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === "string" || typeof key.value === "number")) return String(key.value);
  if (key.type === AST_NODE_TYPES.TemplateLiteral && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? null;
  return null;
}

/** The name of a class member's key, private ones with their `#`. */
function memberKeyName(member: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | null {
  return member.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${member.key.name}` : staticKeyName(member);
}

/** The class member whose body `node` is in, as far as `this` reaches (through arrows, not through other functions); static blocks count as static. */
function thisOwner(node: Node): { body: TSESTree.ClassBody; static: boolean } | null {
  for (let current = node.parent; current; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.FunctionExpression:
        if (current.parent.type !== AST_NODE_TYPES.MethodDefinition && current.parent.type !== AST_NODE_TYPES.PropertyDefinition) return null;
        break;
      case AST_NODE_TYPES.FunctionDeclaration:
        return null;
      case AST_NODE_TYPES.MethodDefinition:
      case AST_NODE_TYPES.PropertyDefinition:
        return current.parent.type === AST_NODE_TYPES.ClassBody ? { body: current.parent, static: current.static } : null;
      case AST_NODE_TYPES.StaticBlock:
        return { body: current.parent, static: true };
      case AST_NODE_TYPES.ClassBody:
        return null;
    }
  }
  return null;
}

/**
 * For `this.name` inside a class: the field or method `name` that the class itself declares (on
 * the same side, static or instance, as the code using `this`), else null. Inherited members and
 * accessors are not followed.
 */
export function thisMember(node: TSESTree.MemberExpression): TSESTree.PropertyDefinition | TSESTree.MethodDefinition | null {
  if (unwrap(node.object).type !== AST_NODE_TYPES.ThisExpression) return null;
  const name = propertyName(node);
  const owner = name === null ? null : thisOwner(node);
  if (!owner) return null;
  for (const member of owner.body.body) {
    if (member.type !== AST_NODE_TYPES.PropertyDefinition && !(member.type === AST_NODE_TYPES.MethodDefinition && member.kind === "method")) continue;
    if (member.static === owner.static && memberKeyName(member) === name) return member;
  }
  return null;
}

export interface ObjectShape {
  node: TSESTree.ObjectExpression;
  /** Static keys to their property, later ones winning; spreads of local object constants included. */
  properties: Map<string, TSESTree.Property>;
  /** False when a spread or a computed key could not be read: a key absent here may then exist. */
  complete: boolean;
}

/** The properties of an object literal, or of the local constant an expression stands for; null for anything else. */
export function readObject(context: Context, node: Node, depth = 0): ObjectShape | null {
  const n = resolveValue(context, node);
  if (n.type !== AST_NODE_TYPES.ObjectExpression) return null;
  const properties = new Map<string, TSESTree.Property>();
  let complete = true;
  for (const p of n.properties) {
    if (p.type === AST_NODE_TYPES.SpreadElement) {
      const inner = depth < 4 ? readObject(context, p.argument, depth + 1) : null;
      if (!inner?.complete) complete = false;
      if (inner) for (const [k, v] of inner.properties) properties.set(k, v);
      continue;
    }
    const key = staticKeyName(p);
    if (key === null) complete = false;
    else properties.set(key, p);
  }
  return { node: n, properties, complete };
}

/**
 * Every key an object may have, read through local constants, spreads and both branches of a
 * condition (`cond ? { a } : { b }`, `...(flag ? {} : { c })`); with `under`, the keys of that
 * property's object. null when a part cannot be read (a computed key, a spread of a parameter).
 */
export function possibleKeys(context: Context, node: Node, under?: string, depth = 0): string[] | null {
  if (depth > 6) return null;
  const n = resolveValue(context, node);
  if (n.type === AST_NODE_TYPES.ConditionalExpression || n.type === AST_NODE_TYPES.LogicalExpression) {
    const sides = n.type === AST_NODE_TYPES.ConditionalExpression ? [n.consequent, n.alternate] : [n.left, n.right];
    const keys = sides.map((side) => possibleKeys(context, side, under, depth + 1));
    // `flag && { a }`: the left side of a logical is a condition unless it is an object too.
    if (n.type === AST_NODE_TYPES.LogicalExpression && keys[0] === null && keys[1] !== null) return under === undefined ? keys[1] : null;
    return keys.some((k) => k === null) ? null : [...new Set(keys.flat() as string[])];
  }
  if (n.type === AST_NODE_TYPES.Identifier && n.name === "undefined") return [];
  if (n.type === AST_NODE_TYPES.Literal && !n.value) return [];
  if (n.type !== AST_NODE_TYPES.ObjectExpression) return null;
  const keys: string[] = [];
  for (const p of n.properties) {
    if (p.type === AST_NODE_TYPES.SpreadElement) {
      const inner = possibleKeys(context, p.argument, under, depth + 1);
      if (inner === null) return null;
      keys.push(...inner);
      continue;
    }
    const key = staticKeyName(p);
    if (key === null) return null;
    if (under === undefined) keys.push(key);
    else if (key === under) {
      const inner = possibleKeys(context, p.value, undefined, depth + 1);
      if (inner === null) return null;
      keys.push(...inner);
    }
  }
  return [...new Set(keys)];
}

/**
 * The module-level `type Name = ...` and `interface Name {}` declarations (exported or not), in
 * order; generic ones only with `generic` (a member typed by a type parameter means nothing here).
 */
export function localTypeDeclarations(
  context: Context,
  name: string,
  options: { generic?: boolean } = {},
): Array<TSESTree.TSTypeAliasDeclaration | TSESTree.TSInterfaceDeclaration> {
  const out: Array<TSESTree.TSTypeAliasDeclaration | TSESTree.TSInterfaceDeclaration> = [];
  for (const statement of context.sourceCode.ast.body) {
    const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (
      (decl?.type === AST_NODE_TYPES.TSTypeAliasDeclaration || decl?.type === AST_NODE_TYPES.TSInterfaceDeclaration) &&
      decl.id.name === name &&
      (options.generic === true || !decl.typeParameters)
    )
      out.push(decl);
  }
  return out;
}

/** The property `key` (a plain name) among a type's members. */
export function propertySignature(members: readonly TSESTree.TypeElement[] | null | undefined, key: string): TSESTree.TSPropertySignature | undefined {
  return members?.find(
    (m): m is TSESTree.TSPropertySignature => m.type === AST_NODE_TYPES.TSPropertySignature && m.key.type === AST_NODE_TYPES.Identifier && m.key.name === key,
  );
}

/** `FastifyInstance` for an annotation `: FastifyInstance<...>` or `: fastify.FastifyInstance`, else null. */
export function annotationTypeName(annotation: TSESTree.TSTypeAnnotation | TSESTree.TypeNode | null | undefined): string | null {
  const type = annotation?.type === AST_NODE_TYPES.TSTypeAnnotation ? annotation.typeAnnotation : annotation;
  if (type?.type !== AST_NODE_TYPES.TSTypeReference) return null;
  const name = type.typeName;
  if (name.type === AST_NODE_TYPES.Identifier) return name.name;
  if (name.type === AST_NODE_TYPES.TSQualifiedName) return name.right.name;
  return null;
}

export interface ChainLink {
  name: string;
  call: TSESTree.CallExpression;
  args: TSESTree.CallExpressionArgument[];
}

/** `a.b(x).c(y)` -> base `a`, links [b(x), c(y)]. Stops at anything that is not a member call. */
export function decomposeChain(node: Node): { base: Node; links: ChainLink[] } {
  const links: ChainLink[] = [];
  let current = unwrap(node);
  while (current.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) break;
    const name = propertyName(callee);
    if (name === null) break;
    links.unshift({ name, call: current, args: current.arguments });
    current = unwrap(callee.object);
  }
  return { base: current, links };
}

/** Does a member path name one of `names`, itself or at its end (`this.prisma`, `ctx.redis` for `prisma`, `redis`)? */
export function endsWithName(path: string, names: readonly string[]): boolean {
  return names.some((n) => path === n || path.endsWith(`.${n}`));
}
