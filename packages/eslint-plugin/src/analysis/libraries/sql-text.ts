import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import {
  calleeName,
  endsInReturnOrThrow,
  endsWithName,
  isFunction,
  localTypeDeclarations,
  memberPath,
  propertyName,
  propertySignature,
  readObject,
  resolveBinding,
  resolveValue,
  staticKeyName,
  unwrap,
  walk,
  type Context,
  type Node,
} from "../syntax/ast.js";
import { typeInfo, typeOf, typescriptModule } from "../syntax/types.js";

/**
 * Is the SQL text handed to `$queryRawUnsafe` / `Prisma.raw` / `sql.raw` a constant? A value is
 * constant when its safety is visible in the same file: literals and local constants, a lookup in
 * a local constant table, a number, a parameter typed as a literal union or given only constants
 * by every call in the file, a value checked against an allow-list or parsed by a Zod enum first.
 */

/** How many values, calls and parameters deep a constant is followed (what lies deeper is not judged). */
const MAX_DEPTH = 10;

/** ts.TypeFlags that cannot carry SQL (numbers, booleans, literals, null, undefined); read from the runtime, as TypeScript 6 renumbered them. */
function safeFlags(): number | null {
  const t = typescriptModule();
  if (!t) return null;
  const f = t.TypeFlags;
  return f.NumberLike | f.BigIntLike | f.BooleanLike | f.StringLiteral | f.EnumLiteral | f.Undefined | f.Null;
}

/** Calls whose result is a number (or a date's ISO text): nothing to inject. */
const NUMBER_FUNCTIONS = new Set([
  "Number",
  "parseInt",
  "parseFloat",
  "Date.now",
  "Math.floor",
  "Math.ceil",
  "Math.round",
  "Math.trunc",
  "Math.min",
  "Math.max",
  "Math.abs",
]);
const NUMBER_METHODS = new Set([
  "getFullYear",
  "getMonth",
  "getDate",
  "getDay",
  "getHours",
  "getMinutes",
  "getSeconds",
  "getTime",
  "getUTCFullYear",
  "getUTCMonth",
  "getUTCDate",
  "toISOString",
  "toFixed",
  "indexOf",
]);
const PASS_THROUGH_METHODS = new Set(["trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "toString", "padStart", "padEnd"]);

/** With types: is this a number, boolean, literal or union of literals (nothing a caller can inject through)? */
function typedAsConstant(context: Context, node: Node): boolean {
  const info = typeInfo(context);
  const flags = info ? safeFlags() : null;
  const type = info && flags !== null ? typeOf(info, node) : null;
  if (!type) return false;
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & flags!) !== 0);
}

/**
 * The element parameter of an iteration callback over constants: `STATUSES.map((s) => \`'\${s}'\`)`,
 * also when the receiver is a parameter every call fills with constants.
 */
function isConstantElement(context: Context, id: TSESTree.Identifier, sanitizers: readonly string[], depth: number): boolean {
  const binding = resolveBinding(context, id);
  if (binding?.kind !== "parameter" || binding.index !== 0 || depth > MAX_DEPTH) return false;
  const call = binding.fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== binding.fn || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  if (!ITERATION_METHODS.has(calleeName(call) ?? "")) return false;
  const receiver = call.callee.object;
  return arrayOfConstants(context, receiver, sanitizers, depth + 1) || nonConstantSqlPart(context, receiver, sanitizers, depth + 1) === null;
}

const ITERATION_METHODS = new Set(["map", "flatMap", "forEach", "filter"]);

/** The second parameter of an iteration callback (`ids.map((_, i) => ...)`): an index, a number. */
function isIndexParameter(context: Context, id: TSESTree.Identifier): boolean {
  const binding = resolveBinding(context, id);
  if (binding?.kind !== "parameter" || binding.index !== 1) return false;
  const call = binding.fn.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === binding.fn && ["map", "flatMap", "forEach"].includes(calleeName(call) ?? "");
}

/** Every expression a function returns (`(x) => expr`, each `return expr;` outside nested functions), or null when one returns nothing. */
function returnedExpressions(fn: Node): Node[] | null {
  if (!isFunction(fn)) return null;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: Node[] = [];
  let bare = false;
  walk(fn.body, (n) => {
    if (isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement) {
      if (n.argument) out.push(n.argument);
      else bare = true;
    }
    return true;
  });
  return bare || out.length === 0 ? null : out;
}

/**
 * The part of an SQL string expression that is not a constant (a parameter, `input.query`, a call
 * result), or null when every part is constant: string and number literals, local constants,
 * templates and concatenations of those, `cond ? "ASC" : "DESC"`, `[...].join(",")`, placeholders
 * built from indexes (`ids.map((_, i) => "$" + (i + 1))`), numbers, and with types anything typed
 * as a number or a union of literals. Imports answer null without types (their value is unknown).
 */
export function nonConstantSqlPart(context: Context, node: Node, sanitizers: readonly string[], depth = 0): Node | null {
  const n = unwrap(node);
  if (depth > MAX_DEPTH) return null;
  const next = (child: Node): Node | null => nonConstantSqlPart(context, child, sanitizers, depth + 1);
  switch (n.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TaggedTemplateExpression:
    case AST_NODE_TYPES.UnaryExpression:
    // `$${index++}`: a counter is a number.
    case AST_NODE_TYPES.UpdateExpression:
      return null;
    case AST_NODE_TYPES.TemplateLiteral:
      for (const e of n.expressions) {
        const part = next(e);
        if (part) return part;
      }
      return null;
    case AST_NODE_TYPES.BinaryExpression:
      if (n.operator !== "+") return null;
      // `i + 1`: arithmetic on a number literal gives a number.
      if (n.right.type === AST_NODE_TYPES.Literal && typeof n.right.value === "number") return null;
      return next(n.left) ?? next(n.right);
    case AST_NODE_TYPES.ConditionalExpression:
      return next(n.consequent) ?? next(n.alternate);
    case AST_NODE_TYPES.LogicalExpression:
      return next(n.left) ?? next(n.right);
    // A tuple or record of constants, destructured by a loop: `for (const [table, column] of COLUMNS)`.
    case AST_NODE_TYPES.ArrayExpression:
      return n.elements.find((e) => e === null || e.type === AST_NODE_TYPES.SpreadElement || next(e) !== null) ? n : null;
    case AST_NODE_TYPES.ObjectExpression:
      return n.properties.every((p) => p.type === AST_NODE_TYPES.Property && !p.computed && next(p.value) === null) ? null : n;
    default:
      break;
  }
  if (typedAsConstant(context, n)) return null;
  if (n.type === AST_NODE_TYPES.Identifier) {
    if (n.name === "undefined") return null;
    const binding = resolveBinding(context, n);
    if (!binding) return null;
    if (binding.kind === "import") return null;
    if (checkedAgainstAllowList(context, n, sanitizers, depth + 1)) return null;
    if (binding.kind === "parameter") {
      if (isIndexParameter(context, n) || annotatedAsConstant(context, binding.fn, binding.index) || isConstantElement(context, n, sanitizers, depth + 1))
        return null;
      return everyCallPassesConstant(context, binding.fn, binding.index, sanitizers, depth + 1) ? null : n;
    }
    if (!binding.value) {
      if (loopOverConstants(context, binding.definition, sanitizers, depth + 1)) return null;
      return everyWriteConstant(context, binding.definition, sanitizers, depth + 1) ? null : n;
    }
    if (isFunction(binding.value) || binding.value.type === AST_NODE_TYPES.ClassDeclaration) return null;
    return next(binding.value) ? n : null;
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const key = propertyName(n);
    if (key === "length") return null;
    const owner = readObject(context, n.object);
    if (owner?.complete) {
      // `OPS[op]`: whichever key is asked, the value is one of the table's (or undefined).
      if (key === null) return [...owner.properties.values()].every((p) => next(p.value) === null) ? null : n;
      const prop = owner.properties.get(key);
      if (prop) return next(prop.value) ? n : null;
    }
    if (key === null && arrayOfConstants(context, n.object, sanitizers, depth + 1)) return null;
    if (key !== null && memberAnnotatedAsConstant(context, n, key)) return null;
    const field = key === null ? null : readonlyClassField(context, n, key);
    if (field) return next(field) ? n : null;
    return n;
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const path = memberPath(n.callee);
    if (path !== null && (NUMBER_FUNCTIONS.has(path) || endsWithName(path, sanitizers))) return null;
    if (path === "String" && n.arguments[0]) return next(n.arguments[0]) ? n : null;
    const callee = unwrap(n.callee);
    // A function of this file whose every `return` is constant: `orderClause(sort, dir)` with a `switch` of constant columns.
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const fn = resolveValue(context, callee, 2);
      const returned = isFunction(fn) ? returnedExpressions(fn) : null;
      if (returned !== null) return returned.every((r) => next(r) === null) ? null : n;
      // An imported helper given only constants (`inList(STATUSES)`): no request input reaches its result.
      if (
        resolveBinding(context, callee)?.kind === "import" &&
        n.arguments.length > 0 &&
        n.arguments.every((a) => a.type !== AST_NODE_TYPES.SpreadElement && next(a) === null)
      )
        return null;
      return n;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return n;
    const method = propertyName(callee);
    if (method !== null && NUMBER_METHODS.has(method)) return null;
    if ((method === "parse" || method === "parseAsync") && isLiteralSchema(context, callee.object)) return null;
    if (method !== null && PASS_THROUGH_METHODS.has(method)) return next(callee.object) || n.arguments.some((a) => next(a)) ? n : null;
    if (method === "join") {
      const separator = n.arguments[0];
      if (separator && next(separator)) return n;
      return arrayOfConstants(context, callee.object, sanitizers, depth + 1) || next(callee.object) === null ? null : n;
    }
    return n;
  }
  return n;
}

/**
 * A `let` that is only ever given constants (`let fn; if (p === "day") fn = "DATE_TRUNC('day', d)";
 * else fn = "..."`): its initialiser, if any, and every assignment to it are constant.
 */
function everyWriteConstant(context: Context, declarator: Node, sanitizers: readonly string[], depth: number): boolean {
  if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.id.type !== AST_NODE_TYPES.Identifier) return false;
  if (declarator.parent?.type === AST_NODE_TYPES.VariableDeclaration && declarator.parent.parent?.type === AST_NODE_TYPES.ForOfStatement) return false;
  const variable = context.sourceCode.getDeclaredVariables(declarator)[0];
  if (!variable) return false;
  const writes = variable.references.filter((r) => r.isWrite());
  return (
    writes.length > 0 &&
    writes.every((r) => {
      const parent = r.identifier.parent;
      // `i++` / `i--` keep a number a number (and make anything else NaN).
      if (parent?.type === AST_NODE_TYPES.UpdateExpression) return true;
      // Destructuring and `for (x of ...)` write values this file does not spell out.
      if (r.writeExpr === null || r.writeExpr === undefined) return false;
      if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left !== r.identifier) return false;
      return nonConstantSqlPart(context, r.writeExpr as Node, sanitizers, depth) === null;
    })
  );
}

/** `for (const table of ["users", "posts"])`: the loop variable of a `for...of` over constants. */
function loopOverConstants(context: Context, declarator: Node, sanitizers: readonly string[], depth: number): boolean {
  const declaration = declarator.parent;
  const loop = declaration?.parent;
  return loop?.type === AST_NODE_TYPES.ForOfStatement && loop.left === declaration && arrayOfConstants(context, loop.right, sanitizers, depth);
}

/** `["a", "b"]`, a local constant array of those, or `xs.map((_, i) => "$" + (i + 1))`. */
function arrayOfConstants(context: Context, node: Node, sanitizers: readonly string[], depth: number): boolean {
  const n = resolveValue(context, node);
  if (n.type === AST_NODE_TYPES.ArrayExpression) {
    return n.elements.every((e) => e !== null && e.type !== AST_NODE_TYPES.SpreadElement && nonConstantSqlPart(context, e, sanitizers, depth) === null);
  }
  if (n.type === AST_NODE_TYPES.CallExpression && ["map", "flatMap"].includes(calleeName(n) ?? "")) {
    const returned = n.arguments[0] ? returnedExpressions(n.arguments[0]) : null;
    return returned !== null && returned.every((r) => nonConstantSqlPart(context, r, sanitizers, depth) === null);
  }
  if (n.type === AST_NODE_TYPES.NewExpression && n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === "Set" && n.arguments[0]) {
    return arrayOfConstants(context, n.arguments[0], sanitizers, depth + 1);
  }
  return false;
}

/**
 * `Columns.TABLE` / `this.table` for a `static readonly` or `readonly` field of a class in this
 * file that is given its value where it is declared: that value.
 */
function readonlyClassField(context: Context, member: TSESTree.MemberExpression, key: string): Node | null {
  const object = unwrap(member.object);
  let cls: Node | null = null;
  let isStatic: boolean;
  if (object.type === AST_NODE_TYPES.ThisExpression) {
    for (let p: Node | undefined = member.parent; p; p = p.parent) {
      if (p.type === AST_NODE_TYPES.ClassBody) {
        cls = p.parent;
        break;
      }
      // A plain function has its own `this`; arrows and methods keep the class's.
      if ((p.type === AST_NODE_TYPES.FunctionDeclaration || p.type === AST_NODE_TYPES.FunctionExpression) && p.parent?.type !== AST_NODE_TYPES.MethodDefinition)
        return null;
    }
    const method = member.parent && ancestorMethod(member);
    isStatic = method?.static ?? false;
  } else {
    const value = resolveValue(context, object);
    cls = value.type === AST_NODE_TYPES.ClassDeclaration || value.type === AST_NODE_TYPES.ClassExpression ? value : null;
    isStatic = true;
  }
  if (!cls || (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression)) return null;
  const field = cls.body.body.find(
    (m): m is TSESTree.PropertyDefinition => m.type === AST_NODE_TYPES.PropertyDefinition && m.static === isStatic && staticKeyName(m) === key,
  );
  return field?.readonly && field.value ? field.value : null;
}

function ancestorMethod(node: Node): TSESTree.MethodDefinition | TSESTree.PropertyDefinition | null {
  for (let p: Node | undefined = node.parent; p; p = p.parent) {
    if (p.type === AST_NODE_TYPES.MethodDefinition || p.type === AST_NODE_TYPES.PropertyDefinition) return p;
  }
  return null;
}

const KEYWORD_CONSTANTS = new Set<string>([
  AST_NODE_TYPES.TSNumberKeyword,
  AST_NODE_TYPES.TSBigIntKeyword,
  AST_NODE_TYPES.TSBooleanKeyword,
  AST_NODE_TYPES.TSLiteralType,
  AST_NODE_TYPES.TSUndefinedKeyword,
  AST_NODE_TYPES.TSNullKeyword,
]);

/** `dir: "ASC" | "DESC"`, `limit: number`, `col: keyof typeof COLUMNS` or a local alias of those: what the annotation admits cannot carry SQL. */
function annotatedAsConstant(context: Context, fn: Node, index: number): boolean {
  if (!isFunction(fn)) return false;
  const param = fn.params[index];
  const property = param?.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  const target = property?.type === AST_NODE_TYPES.AssignmentPattern ? property.left : property;
  const annotation = target && "typeAnnotation" in target ? target.typeAnnotation?.typeAnnotation : undefined;
  return annotation !== undefined && constantType(context, annotation, 0);
}

function constantType(context: Context, type: TSESTree.TypeNode, depth: number): boolean {
  if (depth > 4) return false;
  if (KEYWORD_CONSTANTS.has(type.type)) return !(type.type === AST_NODE_TYPES.TSLiteralType && type.literal.type === AST_NODE_TYPES.TemplateLiteral);
  if (type.type === AST_NODE_TYPES.TSUnionType) return type.types.every((t) => constantType(context, t, depth + 1));
  // `ids: number[]`, `dirs: readonly ("asc" | "desc")[]`: every element is a constant, and so is `ids.join(",")`.
  if (type.type === AST_NODE_TYPES.TSArrayType) return constantType(context, type.elementType, depth + 1);
  if (type.type === AST_NODE_TYPES.TSTypeOperator && type.operator === "readonly" && type.typeAnnotation)
    return constantType(context, type.typeAnnotation, depth + 1);
  if (type.type === AST_NODE_TYPES.TSTypeOperator && type.operator === "keyof" && type.typeAnnotation?.type === AST_NODE_TYPES.TSTypeQuery) {
    const name = type.typeAnnotation.exprName;
    return name.type === AST_NODE_TYPES.Identifier && readObject(context, name)?.complete === true;
  }
  if (type.type === AST_NODE_TYPES.TSTypeReference && type.typeName.type === AST_NODE_TYPES.Identifier && !type.typeArguments) {
    const alias = localTypeAlias(context, type.typeName.name);
    return alias !== null && constantType(context, alias, depth + 1);
  }
  return false;
}

/**
 * `options.limit` where `options` is a parameter annotated with a type of this file (`type Options
 * = { limit?: number }`, an interface, or an inline type literal) that types the member as a
 * number, a boolean or a literal union.
 */
function memberAnnotatedAsConstant(context: Context, member: TSESTree.MemberExpression, key: string): boolean {
  const object = unwrap(member.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, object);
  if (binding?.kind !== "parameter" || !isFunction(binding.fn)) return false;
  const param = binding.fn.params[binding.index];
  const target = param?.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  if (target?.type !== AST_NODE_TYPES.Identifier || target.name !== object.name) return false;
  const type = propertySignature(typeMembers(context, target.typeAnnotation?.typeAnnotation, 0), key)?.typeAnnotation?.typeAnnotation;
  return type !== undefined && constantType(context, type, 0);
}

/** The members of an inline type literal, or of a local type alias or interface it names. */
function typeMembers(context: Context, type: TSESTree.TypeNode | undefined, depth: number): TSESTree.TypeElement[] | null {
  if (!type || depth > 3) return null;
  if (type.type === AST_NODE_TYPES.TSTypeLiteral) return type.members;
  if (type.type !== AST_NODE_TYPES.TSTypeReference || type.typeName.type !== AST_NODE_TYPES.Identifier || type.typeArguments) return null;
  for (const decl of localTypeDeclarations(context, type.typeName.name)) {
    if (decl.type === AST_NODE_TYPES.TSInterfaceDeclaration && !decl.extends.length) return decl.body.body;
    if (decl.type === AST_NODE_TYPES.TSTypeAliasDeclaration) return typeMembers(context, decl.typeAnnotation, depth + 1);
  }
  return null;
}

/** The type a module-level `type Name = ...` (exported or not) stands for. */
function localTypeAlias(context: Context, name: string): TSESTree.TypeNode | null {
  const alias = localTypeDeclarations(context, name).find((d) => d.type === AST_NODE_TYPES.TSTypeAliasDeclaration);
  return alias?.type === AST_NODE_TYPES.TSTypeAliasDeclaration ? alias.typeAnnotation : null;
}

/**
 * A function this module keeps to itself (not exported, never passed around) whose every call in
 * the file passes a constant at `index`: `orderBy("created_at")`, `orderBy(dir ? "a" : "b")`.
 */
function everyCallPassesConstant(context: Context, fn: Node, index: number, sanitizers: readonly string[], depth: number): boolean {
  if (depth > MAX_DEPTH || !isFunction(fn)) return false;
  const declarator = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator ? fn.parent : null;
  if (!declarator) return false;
  const outer = declarator.type === AST_NODE_TYPES.VariableDeclarator ? declarator.parent?.parent : declarator.parent;
  if (outer?.type === AST_NODE_TYPES.ExportNamedDeclaration || outer?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return false;
  const variable = context.sourceCode.getDeclaredVariables(declarator)[0];
  if (!variable) return false;
  const reads = variable.references.filter((r) => !r.init && r.isRead());
  if (reads.length === 0) return false;
  return reads.every((r) => {
    const call = r.identifier.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== r.identifier) return false;
    if (call.arguments.slice(0, index + 1).some((a) => a.type === AST_NODE_TYPES.SpreadElement)) return false;
    const arg = call.arguments[index];
    // A missing argument is `undefined` (or the parameter's default, judged with the parameter).
    return arg === undefined || nonConstantSqlPart(context, arg, sanitizers, depth) === null;
  });
}

/**
 * `if (!ALLOWED.includes(col)) throw ...` (or `return`), `!ALLOWED_SET.has(col)`, `!(col in OPS)`,
 * before the use in the same function: past the check, `col` is one of the allowed constants.
 */
function checkedAgainstAllowList(context: Context, id: TSESTree.Identifier, sanitizers: readonly string[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  // In the function around the use, and in the functions around that one (a check at the top of
  // a function guards the helpers it defines below it).
  for (let scopeNode: Node | undefined = id.parent; scopeNode; scopeNode = scopeNode.parent) {
    if (!isFunction(scopeNode) && scopeNode.type !== AST_NODE_TYPES.Program) continue;
    if (guardedIn(context, scopeNode, id, sanitizers, depth)) return true;
  }
  return false;
}

function guardedIn(context: Context, scopeNode: Node, id: TSESTree.Identifier, sanitizers: readonly string[], depth: number): boolean {
  const body = isFunction(scopeNode) ? scopeNode.body : scopeNode;
  let found = false;
  walk(body, (n) => {
    if (found || n.range[0] >= id.range[0]) return false;
    if (n !== scopeNode && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.IfStatement && endsInReturnOrThrow(n.consequent) && rejectsUnlisted(context, n.test, id.name, sanitizers, depth))
      found = true;
    // `assert(/^[a-z_]+$/.test(name), ...)`, `invariant(SORTABLE.includes(col))`: the same check as a call.
    if (n.type === AST_NODE_TYPES.ExpressionStatement && n.expression.type === AST_NODE_TYPES.CallExpression) {
      const call = n.expression;
      const name = call.callee.type === AST_NODE_TYPES.Identifier ? call.callee.name : null;
      const test = call.arguments[0];
      if (name !== null && ASSERTIONS.test(name) && test && test.type !== AST_NODE_TYPES.SpreadElement) {
        const negated: TSESTree.UnaryExpression = {
          type: AST_NODE_TYPES.UnaryExpression,
          operator: "!",
          prefix: true,
          argument: test,
        } as TSESTree.UnaryExpression;
        if (rejectsUnlisted(context, negated, id.name, sanitizers, depth)) found = true;
      }
    }
    return !found;
  });
  return found;
}

/** `!LIST.includes(name)`, `!SET.has(name)`, `!(name in OBJ)`, or several of those joined by `||`. */
function rejectsUnlisted(context: Context, test: Node, name: string, sanitizers: readonly string[], depth: number): boolean {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === "||")
    return rejectsUnlisted(context, t.left, name, sanitizers, depth) || rejectsUnlisted(context, t.right, name, sanitizers, depth);
  // `if (alias && !/^\w+$/.test(alias)) throw`: past it, the value is empty or checked.
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === "&&") {
    const left = unwrap(t.left);
    return left.type === AST_NODE_TYPES.Identifier && left.name === name && rejectsUnlisted(context, t.right, name, sanitizers, depth);
  }
  if (t.type !== AST_NODE_TYPES.UnaryExpression || t.operator !== "!") return false;
  const inner = unwrap(t.argument);
  const isName = (n: Node | undefined): boolean =>
    n !== undefined && unwrap(n).type === AST_NODE_TYPES.Identifier && (unwrap(n) as TSESTree.Identifier).name === name;
  if (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === "in" && isName(inner.left)) {
    const owner = readObject(context, inner.right);
    return owner?.complete === true && [...owner.properties.values()].every((p) => nonConstantSqlPart(context, p.value, sanitizers, depth) === null);
  }
  if (inner.type !== AST_NODE_TYPES.CallExpression || inner.callee.type !== AST_NODE_TYPES.MemberExpression || !isName(inner.arguments[0])) return false;
  const method = propertyName(inner.callee);
  // `/^[a-z_][a-z0-9_]*$/i.test(name)`: an identifier-shaped pattern leaves no room for quotes or spaces.
  const tester = unwrap(inner.callee.object);
  if (method === "test" && tester.type === AST_NODE_TYPES.Literal && "regex" in tester && tester.regex) return identifierPattern(tester.regex.pattern);
  return (
    (method === "includes" || method === "has") &&
    (arrayOfConstants(context, inner.callee.object, sanitizers, depth) || importedList(context, inner.callee.object))
  );
}

/**
 * A list another module exports, or a member of one (`OPERATORS.datetime`, `filterOperators["datetime"]`),
 * possibly through a local `const`: what it holds is written in code, never request input, so a
 * value found in it is one of those constants.
 */
function importedList(context: Context, node: Node): boolean {
  let n = resolveValue(context, node);
  while (n.type === AST_NODE_TYPES.MemberExpression) n = unwrap(n.object);
  return n.type === AST_NODE_TYPES.Identifier && resolveBinding(context, n)?.kind === "import";
}

const ASSERTIONS = /^(?:assert|invariant|guard|ensure|expect[A-Z]\w*|check)$/;
const IDENTIFIER_CLASS = String.raw`(?:\[(?:[A-Za-z0-9_]|[A-Za-z0-9]-[A-Za-z0-9]|\\w|\\d|\\-)+\]|\\w|\\d|[A-Za-z0-9_])`;
const IDENTIFIER_PATTERN = new RegExp(String.raw`^\^(?:${IDENTIFIER_CLASS}(?:[+*?]|\{\d+(?:,\d*)?\})?)+\$$`);

/** Is a regex source anchored at both ends and made only of letter, digit, `_` and `-` classes? */
function identifierPattern(pattern: string): boolean {
  return IDENTIFIER_PATTERN.test(pattern);
}

const LITERAL_SCHEMAS = new Set(["enum", "nativeEnum", "literal"]);
const SCHEMA_WRAPPERS = new Set(["default", "catch", "describe", "optional", "nullable", "readonly", "brand"]);

/** `z.enum([...])`, `z.literal("x")`, `z.nativeEnum(E)` (possibly `.default(...)`/`.optional()`), or a local constant of one: what it parses is a constant. */
function isLiteralSchema(context: Context, node: Node): boolean {
  let n = resolveValue(context, node);
  for (let i = 0; i < 4 && n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression; i++) {
    const method = propertyName(n.callee);
    if (method !== null && LITERAL_SCHEMAS.has(method)) return unwrap(n.callee.object).type === AST_NODE_TYPES.Identifier;
    if (method === null || !SCHEMA_WRAPPERS.has(method)) return false;
    n = resolveValue(context, n.callee.object);
  }
  return false;
}

/** How a message names an SQL argument built from `part`: "a template literal that interpolates `input.q`". */
export function describeSqlInput(context: Context, input: Node, part: Node, sanitizers: readonly string[]): string {
  const text = (n: Node): string => {
    const t = context.sourceCode.getText(n).replace(/\s+/g, " ");
    return t.length > 40 ? `${t.slice(0, 37)}...` : t;
  };
  const n = unwrap(input);
  if (n.type === AST_NODE_TYPES.TemplateLiteral) return `a template literal that interpolates \`${text(part)}\``;
  if (n.type === AST_NODE_TYPES.BinaryExpression) return `string concatenation with \`${text(part)}\``;
  if (n.type === AST_NODE_TYPES.Identifier) {
    const value = resolveValue(context, n, 1);
    const inner = value !== n ? nonConstantSqlPart(context, value, sanitizers) : null;
    if (inner && inner !== value) return `\`${n.name}\` (built from \`${text(inner)}\`)`;
    return `\`${n.name}\` (not a constant string)`;
  }
  if (n.type === AST_NODE_TYPES.CallExpression) return `the result of \`${text(n.callee)}(...)\``;
  return `\`${text(part)}\``;
}
