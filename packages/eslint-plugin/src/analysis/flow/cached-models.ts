import fs from "node:fs";
import path from "node:path";
import { findProjectRoot, findWorkspaceRoot, indexCache, noteFileRead, readModule, ReadMemo, sourceFiles, workspacePackages, type ParsedModule } from "@archlint/core";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { resolvedSettings } from "../project.js";
import { accelerateTtl, cacheAsideTtl, hasAccelerateCache, isBehindCacheCheck, isCacheWrapperCall, wrapperTtl } from "../libraries/cache.js";
import { getDbCall } from "../libraries/db.js";
import { archlintSettings, isFunction, memberPath, resolveValue, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import { parsedModuleContext } from "../syntax/foreign.js";
import type { FunctionNode } from "../syntax/functions.js";
import { isNonRuntimeFile } from "./non-runtime.js";
import { findReachedReads, findReachedReadsFrom, localCallee, type ReachedRead } from "./reach.js";

/**
 * Which models the project reads through a cache, where, and for how long: one fact about the
 * whole project, computed once per process and asked for by every file that writes. A read is
 * cached when it runs inside a cache wrapper's callback (`unstable_cache`, `cache.wrap`, the
 * settings' `cacheWrappers`), behind a cache-aside check (`const hit = await redis.get(key); if
 * (hit) return hit;`), or with a Prisma Accelerate `cacheStrategy`: the same recognisers
 * `cache-hot-reads` trusts. Reads a cached call reaches in helpers of the same file (and, with
 * type information, in other files) count too.
 *
 * The project is the linted file's package, or its whole workspace when the package is one of a
 * workspace's members. Only files that mention a cache (a wrapper's name, a cache client's name,
 * `cacheStrategy`) are parsed, through core's module cache (one parse per file version); every
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

/** The reads a cache wrapper call caches: those its callback (inline or a local function) reaches. */
function wrappedReads(context: Context, call: TSESTree.CallExpression): ReachedRead[] {
  const out: ReachedRead[] = [];
  for (const arg of call.arguments) {
    if (arg.type === AST_NODE_TYPES.SpreadElement) continue;
    const value = resolveValue(context, arg);
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
    out.push({ model: read.model, operation: read.db.operation, file, shownFile, line: lineOf(context, at), by, ttl });
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
      if (db.library === "prisma" && hasAccelerateCache(context, n)) {
        out.push({ model: db.model, operation: db.operation, file, shownFile, line: lineOf(context, n), by: "Accelerate `cacheStrategy`", ttl: accelerateTtl(context, n) });
        return;
      }
      const guard = guardingFunction(context, n);
      if (guard) out.push({ model: db.model, operation: db.operation, file, shownFile, line: lineOf(context, n), by: "a cache-aside check", ttl: cacheAsideTtl(context, guard) });
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

/** The names whose mention makes a file worth parsing: wrappers, cache clients, Accelerate's option. */
function cacheMarkers(context: Context): string[] {
  const settings = resolvedSettings(context);
  const last = (name: string): string => name.slice(name.lastIndexOf(".") + 1);
  return [...new Set(["cacheStrategy", ...settings.cacheWrappers.map(last), ...settings.cacheClients.map(last)])];
}

/** Per parsed module version and settings: the module's cached reads. */
const byModule = new WeakMap<ParsedModule, Map<string, CachedRead[]>>();

function moduleCachedReads(context: Context, module: ParsedModule, root: string, settingsKey: string): CachedRead[] {
  let bySettings = byModule.get(module);
  if (!bySettings) byModule.set(module, (bySettings = new Map()));
  let reads = bySettings.get(settingsKey);
  if (!reads) {
    const moduleContext = parsedModuleContext(context, module);
    reads = isNonRuntimeFile(moduleContext) ? [] : cachedReadsIn(moduleContext, root);
    bySettings.set(settingsKey, reads);
  }
  return reads;
}

/**
 * The project's cached reads by model (`modelKey`): the linted file's own, and the saved files'. Memoised in core's index cache under the
 * project's folder: an editor that saves any file in it drops the fact, and every file the scan
 * looked at is replayed as a read of the file that asks.
 */
export function projectCachedReads(context: Context): ReadonlyMap<string, readonly CachedRead[]> {
  let known = ownReads.get(context.sourceCode);
  if (known) return known;
  // The linted file as it is being linted (an editor's unsaved buffer), the others as saved.
  const file = path.resolve(context.cwd, context.physicalFilename);
  const root = projectRootOf(file);
  const merged = new Map<string, CachedRead[]>();
  for (const [model, reads] of savedCachedReads(context, root)) {
    const others = reads.filter((r) => r.file !== file);
    if (others.length > 0) merged.set(model, others);
  }
  for (const read of cachedReadsIn(context, root)) merged.set(modelKey(read.model), [...(merged.get(modelKey(read.model)) ?? []), read]);
  known = merged;
  ownReads.set(context.sourceCode, known);
  return known;
}

const ownReads = new WeakMap<object, ReadonlyMap<string, readonly CachedRead[]>>();

function savedCachedReads(context: Context, root: string): ReadonlyMap<string, readonly CachedRead[]> {
  const settings = resolvedSettings(context);
  const markers = cacheMarkers(context);
  const settingsKey = JSON.stringify([settings.cacheWrappers, settings.cacheClients, settings.dbClients, archlintSettings(context).nonRuntime ?? null, context.cwd]);
  return indexCache.memo(`cached-model-reads\0${root}\0${settingsKey}`, () => {
    const byModel = new Map<string, CachedRead[]>();
    for (const file of sourceFiles(root)) {
      noteFileRead(file);
      const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
      if (size === undefined || size > MAX_FILE_BYTES) continue;
      const text = fs.readFileSync(file, "utf8");
      if (!markers.some((m) => text.includes(m))) continue;
      const module = readModule(file);
      if (!module) continue;
      for (const read of moduleCachedReads(context, module, root, settingsKey)) {
        const key = modelKey(read.model);
        byModel.set(key, [...(byModel.get(key) ?? []), read]);
      }
    }
    return { value: byModel, files: [root] };
  });
}
