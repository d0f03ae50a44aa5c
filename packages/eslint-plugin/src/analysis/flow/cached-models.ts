import fs from "node:fs";
import path from "node:path";
import {
  findProjectRoot,
  findWorkspaceRoot,
  indexCache,
  noteFileRead,
  readModule,
  ReadMemo,
  sourceFiles,
  workspacePackages,
  type ParsedModule,
} from "@archlint/core";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { endpointOfHandler } from "../frameworks/endpoint.js";
import { resolvedSettings } from "../project.js";
import { accelerateTtl, cacheAsideTtl, hasAccelerateCache, isBehindCacheCheck, isCacheWrapperCall, wrapperTtl } from "../libraries/cache.js";
import { getDbCall, PRISMA_READS, type DbCall } from "../libraries/db.js";
import { archlintSettings, isFunction, memberPath, readObject, resolveValue, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import { parsedModuleContext } from "../syntax/foreign.js";
import type { FunctionNode } from "../syntax/functions.js";
import { isNonRuntimeFile } from "./non-runtime.js";
import { findReachedCalls, findReachedReads, findReachedReadsFrom, findReachedWrites, localCallee, type CallQuestion, type ReachedRead } from "./reach.js";

/**
 * Which models the project reads through a cache, where, and for how long, and which functions
 * callers invalidate after: one fact about the whole project, computed once per process and asked
 * for by every file that writes. A read is
 * cached when it runs inside a cache wrapper's callback (`unstable_cache`, `cache.wrap`, the
 * settings' `cacheWrappers`), behind a cache-aside check (`const hit = await redis.get(key); if
 * (hit) return hit;`), or with a Prisma Accelerate `cacheStrategy`: the same recognisers
 * `cache-hot-reads` trusts. Reads a cached call reaches in helpers of the same file (and, with
 * type information, in other files) count too.
 *
 * The project is the linted file's package, or its whole workspace when the package is one of a
 * workspace's members. Only files that mention a cache (a wrapper's name, a cache client's name,
 * `cacheStrategy`) or an invalidation (`revalidateTag`, `invalidate...`, `.del(`) are parsed, through core's module cache (one parse per file version); every
 * file looked at is a read of the file that asks (`archlint check --cache` re-lints a writer when a
 * cached read elsewhere changes).
 */

export interface CachedRead {
  /** The model or table as the code names it: `post`, `Post`, `posts`. */
  model: string;
  /** The read operation (`findMany`, `selectFrom`). */
  operation: string;
  /** Absolute path of the file the cache is in. */
  file: string;
  /** Its path from the project's folder, with `/`: how messages name it. */
  shownFile: string;
  /** The line of the cached read, or of the cached call that reaches it. */
  line: number;
  /** What caches it, for messages: `unstable_cache`, `a cache-aside check`, `Accelerate cacheStrategy`. */
  by: string;
  /** Seconds a cached value lives when the code says so; null when it does not, or it never expires. */
  ttl: number | null;
  /**
   * The fields the cached value depends on: a Prisma read's `select` and the top-level `where`
   * fields; null for every field (no `select`, an `include`, a select the file cannot read, SQL).
   */
  fields: string[] | null;
}

/** The fields a Prisma read returns (its `select`) and filters on (its `where`), or null when it returns whole rows. */
function readFields(context: Context, db: DbCall): string[] | null {
  const arg = db.call.arguments[0];
  if (db.library !== "prisma" || !arg || arg.type === AST_NODE_TYPES.SpreadElement) return null;
  const options = readObject(context, arg);
  const select = options?.properties.get("select");
  const selected = select ? readObject(context, select.value) : null;
  if (!options || options.properties.has("include") || !selected?.complete) return null;
  const where = options.properties.get("where");
  return [...selected.properties.keys(), ...(where ? (readObject(context, where.value)?.properties.keys() ?? []) : [])];
}

/** How deep a cached call is followed into helpers to find the reads it caches. */
const HELPER_DEPTH = 2;
const MAX_FILE_BYTES = 512 * 1024;

/** The model key reads and writes are matched on: `Post`, `post` and `POST` are one model. */
export function modelKey(model: string): string {
  return model.toLowerCase();
}

function lineOf(context: Context, node: Node): number {
  return context.sourceCode.getLocFromIndex(node.range[0]).line;
}

/** The innermost function around `node` whose cache-aside check guards it. */
function guardingFunction(context: Context, node: Node): Node | null {
  for (let fn: Node | undefined = node.parent; fn; fn = fn.parent) if (isFunction(fn) && isBehindCacheCheck(context, node, fn)) return fn;
  return null;
}

/** The reads a call reaches: in a helper of this file, or with type information in another file. */
function readsBehindCall(context: Context, call: TSESTree.CallExpression): ReachedRead[] {
  const local = localCallee(context, call.callee);
  if (local) return findReachedReads(context, local.fn, HELPER_DEPTH - 1);
  return findReachedReadsFrom(context, call.callee, HELPER_DEPTH - 1);
}

/**
 * The reads a cache wrapper call caches: those its callback (inline or a local function) reaches.
 * A callback that also writes is a throttle (`cacheable(updateCounts, 3600)` runs the update at
 * most once an hour), not data kept for readers: none.
 */
function wrappedReads(context: Context, call: TSESTree.CallExpression): ReachedRead[] {
  const out: ReachedRead[] = [];
  for (const arg of call.arguments) {
    if (arg.type === AST_NODE_TYPES.SpreadElement) continue;
    const value = resolveValue(context, arg);
    if (isFunction(value) && findReachedWrites(context, value as FunctionNode, HELPER_DEPTH).length > 0) return [];
    if (isFunction(value)) out.push(...findReachedReads(context, value as FunctionNode, HELPER_DEPTH));
    // `unstable_cache(getPost, ["post"])`: a function of another file, read with types.
    else if (unwrap(arg).type === AST_NODE_TYPES.Identifier || unwrap(arg).type === AST_NODE_TYPES.MemberExpression)
      out.push(...findReachedReadsFrom(context, arg, HELPER_DEPTH - 1));
  }
  return out;
}

/** The cached reads written in one file (the linted one, or another module of the project). */
function cachedReadsIn(context: Context, root: string): CachedRead[] {
  const out: CachedRead[] = [];
  const file = path.resolve(context.cwd, context.physicalFilename);
  const shownFile = path.relative(root, file).split(path.sep).join("/");
  const add = (read: ReachedRead, at: Node, by: string, ttl: number | null): void => {
    if (read.model === null || read.db === null) return;
    out.push({
      model: read.model,
      operation: read.db.operation,
      file,
      shownFile,
      line: lineOf(context, at),
      by,
      ttl,
      fields: readFields(read.context, read.db),
    });
  };
  walk(context.sourceCode.ast, (n) => {
    if (n.type !== AST_NODE_TYPES.CallExpression) return;
    if (isCacheWrapperCall(context, n)) {
      const by = memberPath(n.callee) ?? "a cache wrapper";
      const ttl = wrapperTtl(context, n);
      for (const read of wrappedReads(context, n)) add(read, read.context === context ? read.call : n, by, ttl);
      return false;
    }
    const db = getDbCall(context, n);
    if (db) {
      if (db.kind !== "read" || db.model === null) return;
      const model = db.model;
      const cached = (by: string, ttl: number | null) =>
        out.push({ model, operation: db.operation, file, shownFile, line: lineOf(context, n), by, ttl, fields: readFields(context, db) });
      if (db.library === "prisma" && hasAccelerateCache(context, n)) {
        cached("Accelerate `cacheStrategy`", accelerateTtl(context, n));
        return;
      }
      const guard = guardingFunction(context, n);
      if (guard) cached("a cache-aside check", cacheAsideTtl(context, guard));
      return;
    }
    const guard = guardingFunction(context, n);
    if (!guard) return;
    const ttl = cacheAsideTtl(context, guard);
    for (const read of readsBehindCall(context, n)) add(read, n, "a cache-aside check", ttl);
  });
  return out;
}

/** The folder whose files are the project: the workspace when the file's package is one of its members, else the package. */
const projectRoots = new ReadMemo<string>();
function projectRootOf(file: string): string {
  const pkg = findProjectRoot(path.dirname(file));
  return projectRoots.get(pkg, () => {
    const workspace = findWorkspaceRoot(pkg);
    return workspace !== null && (workspace === pkg || workspacePackages(workspace).includes(pkg)) ? workspace : pkg;
  });
}

/**
 * The names whose mention makes a file worth parsing for cached reads: wrappers (`cache.wrap` as
 * written, since `endsWithName` matches whole segments), cache clients, Accelerate's option.
 */
function cacheMarkers(context: Context): string[] {
  const settings = resolvedSettings(context);
  return [...new Set(["cacheStrategy", ...settings.cacheWrappers, ...settings.cacheClients])];
}

/**
 * A read operation's name: without one a file has no cached read the scan can see (it reads other
 * files without type information, so a wrapper around an imported reader shows nothing).
 */
const DB_READ_MARKER = new RegExp(`\\b(?:${[...PRISMA_READS, "selectFrom"].join("|")})\\b`);

/** A mention that makes a file worth reading for callers that invalidate: Next.js's calls, `invalidate*`, a key delete. */
const INVALIDATION_MARKER = /revalidate|updateTag|expireTag|expirePath|invalidate|bust|purge|evict|\.del\(|\.unlink\(/i;

/**
 * The function that owns a call: its nearest function, or the one around a callback it is
 * written in (`$transaction(async (tx) => ...)`, `Effect.gen`, `.map`), up to a request handler,
 * which is its own.
 */
export function owningFunction(context: Context, node: Node): FunctionNode | null {
  let owner: FunctionNode | null = null;
  for (let p: Node | undefined = node.parent; p; p = p.parent) {
    if (!isFunction(p)) continue;
    owner = p;
    const isCallback = p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.arguments.includes(p as never);
    if (!isCallback || endpointOfHandler(context, p)) break;
  }
  return owner;
}

/**
 * How callers name a function: its own name, the variable or property it is assigned to (through
 * wrappers: `export const save = action(async () => ...)`), or the method's; null when it has none.
 */
export function functionName(fn: FunctionNode): string | null {
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.id) return fn.id.name;
  for (let p: Node | undefined = fn.parent; p; p = p.parent) {
    if (p.type === AST_NODE_TYPES.VariableDeclarator) return p.id.type === AST_NODE_TYPES.Identifier ? p.id.name : null;
    if (p.type === AST_NODE_TYPES.MethodDefinition || p.type === AST_NODE_TYPES.Property || p.type === AST_NODE_TYPES.PropertyDefinition)
      return p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : null;
    if (p.type !== AST_NODE_TYPES.CallExpression && p.type !== AST_NODE_TYPES.MemberExpression && p.type !== AST_NODE_TYPES.AwaitExpression) return null;
  }
  return null;
}

/** The names of the functions called in a function that invalidates a cache (`await save(x); revalidateTag("t")`). */
function invalidatingCallers(context: Context, invalidation: CallQuestion): string[] {
  const invalidates = new Map<FunctionNode, boolean>();
  const names = new Set<string>();
  walk(context.sourceCode.ast, (n) => {
    if (n.type !== AST_NODE_TYPES.CallExpression) return;
    const path = memberPath(n.callee);
    const owner = path === null ? null : owningFunction(context, n);
    if (!owner || path === null) return;
    let known = invalidates.get(owner);
    if (known === undefined) invalidates.set(owner, (known = findReachedCalls(context, owner, 2, invalidation).length > 0));
    if (known) names.add(path.slice(path.lastIndexOf(".") + 1));
  });
  return [...names];
}

export interface ProjectCacheFacts {
  /** The cached reads by model (`modelKey`). */
  reads: ReadonlyMap<string, readonly CachedRead[]>;
  /** Functions called, by name, in a function that invalidates a cache afterwards or before. */
  calledBeforeInvalidation: ReadonlySet<string>;
}

interface ModuleFacts {
  reads: CachedRead[];
  callers: string[];
}

/** Per parsed module version and settings: the module's cached reads and invalidating callers. */
const byModule = new WeakMap<ParsedModule, Map<string, ModuleFacts>>();

function moduleFacts(context: Context, module: ParsedModule, cacheCandidate: boolean, root: string, key: string, invalidation: CallQuestion): ModuleFacts {
  let bySettings = byModule.get(module);
  if (!bySettings) byModule.set(module, (bySettings = new Map()));
  let facts = bySettings.get(key);
  if (!facts) {
    const moduleContext = parsedModuleContext(context, module);
    const runtime = !isNonRuntimeFile(moduleContext);
    facts = {
      reads: runtime && cacheCandidate ? cachedReadsIn(moduleContext, root) : [],
      callers: runtime && INVALIDATION_MARKER.test(module.text) ? invalidatingCallers(moduleContext, invalidation) : [],
    };
    bySettings.set(key, facts);
  }
  return facts;
}

/** Per lint of a file (its SourceCode). */
const ownFacts = new WeakMap<object, ProjectCacheFacts>();

/**
 * The project's cache facts: the cached reads by model (the linted file's own as it is being
 * linted, the other files' as saved) and the functions callers invalidate after. Memoised in
 * core's index cache under the project's folder: an editor that saves any file in it drops the
 * fact, and every file the scan looked at is replayed as a read of the file that asks.
 */
export function projectCacheFacts(context: Context, invalidation: CallQuestion): ProjectCacheFacts {
  let known = ownFacts.get(context.sourceCode);
  if (known) return known;
  const file = path.resolve(context.cwd, context.physicalFilename);
  const root = projectRootOf(file);
  const saved = savedCacheFacts(context, root, invalidation);
  const merged = new Map<string, CachedRead[]>();
  for (const [model, reads] of saved.reads) {
    const others = reads.filter((r) => r.file !== file);
    if (others.length > 0) merged.set(model, others);
  }
  for (const read of cachedReadsIn(context, root)) merged.set(modelKey(read.model), [...(merged.get(modelKey(read.model)) ?? []), read]);
  known = { reads: merged, calledBeforeInvalidation: saved.calledBeforeInvalidation };
  ownFacts.set(context.sourceCode, known);
  return known;
}

function savedCacheFacts(context: Context, root: string, invalidation: CallQuestion): ProjectCacheFacts {
  const settings = resolvedSettings(context);
  const markers = cacheMarkers(context);
  const key = JSON.stringify([
    settings.cacheWrappers,
    settings.cacheClients,
    settings.dbClients,
    archlintSettings(context).nonRuntime ?? null,
    context.cwd,
    invalidation.key,
  ]);
  return indexCache.memo(`project-cache-facts\0${root}\0${key}`, () => {
    const reads = new Map<string, CachedRead[]>();
    const calledBeforeInvalidation = new Set<string>();
    for (const file of sourceFiles(root)) {
      noteFileRead(file);
      const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
      if (size === undefined || size > MAX_FILE_BYTES) continue;
      const text = fs.readFileSync(file, "utf8");
      const cacheCandidate = markers.some((m) => text.includes(m)) && DB_READ_MARKER.test(text);
      if (!cacheCandidate && !INVALIDATION_MARKER.test(text)) continue;
      const module = readModule(file);
      if (!module) continue;
      const facts = moduleFacts(context, module, cacheCandidate, root, key, invalidation);
      for (const read of facts.reads) reads.set(modelKey(read.model), [...(reads.get(modelKey(read.model)) ?? []), read]);
      for (const name of facts.callers) calledBeforeInvalidation.add(name);
    }
    return { value: { reads, calledBeforeInvalidation }, files: [root] };
  });
}
