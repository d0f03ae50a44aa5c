import path from "node:path";
import {
  MAP_SCHEMA_VERSION,
  type ArchitectureMap,
  type MapAccess,
  type MapCache,
  type MapEffectRun,
  type MapEndpoint,
  type MapFinding,
  type MapModel,
  type MapService,
  type MapUnresolved,
  type MigrationHistory,
  type SchemaModel,
} from "@archlint/core";
import {
  fastifyRouteLabel,
  type Autoload,
  joinPrefix,
  type CacheFact,
  type CallTarget,
  type EndpointFact,
  type FileFacts,
  type FunctionFact,
  type ImportRef,
} from "eslint-plugin-archlint";
import type { LintResult } from "../formatters/types.js";
import { autoloadedFiles, autoloadPrefix } from "./autoload.js";
import type { ModuleResolver } from "./resolve.js";
import { sqlModelFacts, sqlOnlyModel, sqlTables, tableName, type SqlTables } from "./tables.js";

/**
 * Joins the per-file facts of the collector into one map: routers into full procedure paths,
 * imported calls into the call graph, database accesses into models, findings onto the innermost
 * endpoint, service or model they are written in. Everything is sorted; paths are relative to
 * `base` with `/`, so the same code gives the same bytes.
 */

/** How many calls deep the map follows a handler (a service calling a repository calling a helper...). */
const MAX_DEPTH = 12;

export interface BuildInput {
  base: string;
  version: string;
  facts: FileFacts[];
  results: LintResult[];
  schema: { model: SchemaModel; files: string[] } | null;
  /** The SQL migration histories of the mapped folder (tables as models, merged with Prisma's by table name). */
  migrations: MigrationHistory[];
  resolver: ModuleResolver;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface FunctionEntry {
  fact: FunctionFact;
  file: string;
  id: string;
}

export async function buildMap(input: BuildInput): Promise<ArchitectureMap> {
  const { base, resolver } = input;
  const rel = (file: string): string => path.relative(base, file).split(path.sep).join("/");
  const unresolved: MapUnresolved[] = [];
  const unresolvedSeen = new Set<string>();
  const addUnresolved = (what: string, file: string, line: number, reason: string): void => {
    const key = `${file}\0${line}\0${what}`;
    if (unresolvedSeen.has(key)) return;
    unresolvedSeen.add(key);
    unresolved.push({ what, location: { file: rel(file), line }, reason });
  };

  const facts = [...input.facts].sort((a, b) => compare(a.file, b.file));
  const byFile = new Map(facts.map((f) => [f.file, f]));

  // Functions, with ids unique in the map: `<file>#<name>`, `@<line>` added when a name repeats in a file.
  const functions = new Map<string, FunctionEntry>();
  for (const f of facts) {
    const counts = new Map<string, number>();
    for (const fn of f.functions) counts.set(fn.name, (counts.get(fn.name) ?? 0) + 1);
    for (const fn of f.functions) {
      const id = `${rel(f.file)}#${fn.name}${counts.get(fn.name)! > 1 ? `@${fn.line}` : ""}`;
      functions.set(fn.key, { fact: fn, file: f.file, id });
    }
  }

  /** The exported thing `name` of `file`, through re-exports and `export *`, as a function key or a router id. */
  type Joined = { key?: string; router?: string; missing?: string };
  const exportedFrom = async (file: string, name: string, members: string[], depth = 0): Promise<Joined | null> => {
    const f = byFile.get(file);
    if (!f || depth > 8) return null;
    if (f.routers.some((r) => r.name === name)) return { router: `${file}#${name}` };
    const exp = f.exports[name];
    if (exp?.kind === "function") return { key: exp.key };
    // A client, a runtime, a config object: no function of the project to follow.
    if (exp?.kind === "value") return {};
    if (exp?.kind === "members") {
      const key = members[0] !== undefined ? exp.members[members[0]] : undefined;
      if (key) return { key };
      // A member holding something else (`static schema = z.object(...)`): nothing to follow.
      if (key === null) return {};
      return members[0] !== undefined ? { missing: `\`${members[0]}\` is not a method written in \`${name}\`'s class or object literal (${rel(file)})` } : {};
    }
    if (exp?.kind === "reexport") {
      const target = await resolver.resolve(file, exp.ref.source);
      // A library's export passed on (`export default dayjs`): nothing of the project to follow.
      if (!target) return exp.ref.source.startsWith(".") ? null : {};
      return byFile.has(target) ? exportedFrom(target, exp.ref.imported, members, depth + 1) : {};
    }
    for (const source of f.starExports) {
      const target = await resolver.resolve(file, source);
      const found = target ? await exportedFrom(target, name, members, depth + 1) : null;
      if (found) return found;
    }
    return null;
  };

  /**
   * An import joined to what it names. null with no note for a library (a bare specifier that
   * resolves to no mapped file); a note in `unresolved` for project code that could not be joined.
   */
  const resolveImport = async (fromFile: string, line: number, what: string, ref: ImportRef): Promise<Joined | null> => {
    const target = await resolver.resolve(fromFile, ref.source);
    const local = ref.source.startsWith(".") || (target !== null && !target.split(path.sep).includes("node_modules"));
    if (!target || !byFile.has(target)) {
      if (local) addUnresolved(what, fromFile, line, target ? `${rel(target)} is not among the mapped files` : `cannot resolve the import "${ref.source}"`);
      return null;
    }
    const [name, members] = ref.imported === "*" ? [ref.members[0], ref.members.slice(1)] : [ref.imported, ref.members];
    const found = name === undefined ? null : await exportedFrom(target, name, members);
    if (!found) addUnresolved(what, fromFile, line, `no function or router \`${[name, ...members].join(".")}\` exported by ${rel(target)}`);
    else if (found.missing) addUnresolved(what, fromFile, line, found.missing);
    return found;
  };

  const targetKey = async (fromFile: string, line: number, what: string, target: CallTarget): Promise<string | null> => {
    if (target.kind === "function") {
      if (functions.has(target.key)) return target.key;
      const file = target.key.replace(/:\d+:\d+$/, "");
      const at = target.key.slice(file.length + 1).split(":")[0];
      if (byFile.has(file))
        addUnresolved(what, fromFile, line, `calls a function written inside another one (${rel(file)}, ending on line ${at}), which the map does not draw`);
      else if (!file.split(path.sep).includes("node_modules"))
        addUnresolved(what, fromFile, line, `calls into ${rel(file)}, which is not among the mapped files`);
      return null;
    }
    return (await resolveImport(fromFile, line, what, target.ref))?.key ?? null;
  };

  // The call graph: edges between mapped functions, with the cache on the call; worked out for
  // the functions some endpoint reaches only (so `unresolved` is about the endpoints' paths).
  type Edge = { to: string; line: number; cache: MapCache | null };
  const edges = new Map<string, Edge[]>();
  const edgesOf = async (key: string): Promise<Edge[]> => {
    const known = edges.get(key);
    if (known) return known;
    const entry = functions.get(key)!;
    const out: Edge[] = [];
    for (const call of entry.fact.calls) {
      const to = await targetKey(entry.file, call.line, call.callee, call.target);
      if (to && to !== key) out.push({ to, line: call.line, cache: cacheOf(call.cache) });
    }
    edges.set(key, out);
    return out;
  };

  // Routers: each router's mount points, for full procedure paths.
  const mounts = new Map<string, Array<{ parent: string; key: string }>>();
  const routerIds: string[] = [];
  for (const f of facts) {
    for (const router of f.routers) {
      const id = `${f.file}#${router.name}`;
      routerIds.push(id);
      for (const entry of router.entries) {
        let child: string | null = null;
        if (entry.ref.kind === "local") child = `${f.file}#${entry.ref.name}`;
        else if (entry.ref.kind === "import")
          child = (await resolveImport(f.file, entry.line, `${router.name}.${entry.key || "(merged)"}`, { ...entry.ref, members: [] }))?.router ?? null;
        else addUnresolved(entry.ref.text, f.file, entry.line, "a router entry that is neither a procedure nor a router the map can read");
        if (child) mounts.set(child, [...(mounts.get(child) ?? []), { parent: id, key: entry.key }]);
      }
    }
  }
  const roots = routerIds.filter((id) => !mounts.has(id));
  const prefixesOf = (id: string, seen: readonly string[] = []): string[][] => {
    const parents = mounts.get(id);
    if (!parents || seen.includes(id)) return [[]];
    return parents.flatMap((m) => prefixesOf(m.parent, [...seen, id]).map((p) => (m.key ? [...p, m.key] : p)));
  };

  // Fastify plugins: where each is registered and under which prefix, for full URLs. A plugin
  // wrapped in `fp` is not encapsulated: it keeps its parent's prefix and ignores its own.
  const registeredIn = new Map<string, Array<{ parent: string | null; prefix: string; encapsulated: boolean }>>();
  const unencapsulated = new Set(facts.flatMap((f) => f.unencapsulated));
  const codeFiles = facts.map((f) => f.file);
  /** `register(autoload, { dir })`: each plugin file under `dir`, registered on the same instance under its prefix. */
  const registerAutoloaded = async (autoload: Autoload, parent: string | null, file: string, line: number, what: string): Promise<void> => {
    if (autoload.dir === null) {
      addUnresolved(what, file, line, "an autoload folder the map cannot read: the routes of its plugins are shown without their prefixes");
      return;
    }
    if (autoload.unread.length > 0)
      addUnresolved(
        what,
        file,
        line,
        `autoload options the map does not follow (${autoload.unread.join(", ")}): it assumes every plugin file of the folder loads`,
      );
    if (autoload.prefix === null) addUnresolved(what, file, line, "an autoload `options.prefix` that cannot be read: its routes are shown without it");
    for (const loaded of autoloadedFiles({ ...autoload, dir: autoload.dir }, codeFiles)) {
      const plugin = (await exportedFrom(loaded.file, "default", []))?.key;
      if (!plugin) continue;
      const exported = byFile.get(loaded.file)!.autoload;
      if (exported.autoPrefix === null || exported.prefixOverride === null)
        addUnresolved(what, loaded.file, 1, "an `autoPrefix` or `prefixOverride` export that cannot be read: this plugin's routes are shown without it");
      const prefix = autoloadPrefix({ ...autoload, prefix: autoload.prefix ?? "" }, loaded.folderPrefix, exported) ?? "";
      registeredIn.set(plugin, [...(registeredIn.get(plugin) ?? []), { parent, prefix, encapsulated: true }]);
    }
  };
  for (const f of facts) {
    for (const r of f.registrations) {
      const what = `register(${r.text})`;
      if (r.autoload) {
        await registerAutoloaded(r.autoload, r.parent, f.file, r.line, what);
        continue;
      }
      let child: string | null = null;
      if (r.plugin?.kind === "function") child = r.plugin.key;
      else if (r.plugin?.kind === "import") child = (await resolveImport(f.file, r.line, what, r.plugin.ref))?.key ?? null;
      else if (r.prefix !== "") addUnresolved(what, f.file, r.line, "a plugin the map cannot follow: the routes it declares are shown without this prefix");
      // A library's plugin (`register(cors, () => ({ ... }))`) declares no route of the project: its options do not matter.
      if (r.prefix === null && child) addUnresolved(what, f.file, r.line, "a `prefix` option that cannot be read: the routes under it are shown without it");
      if (child) registeredIn.set(child, [...(registeredIn.get(child) ?? []), { parent: r.parent, prefix: r.prefix ?? "", encapsulated: r.encapsulated }]);
    }
  }
  const urlPrefixes = (plugin: string | null, seen: readonly string[] = []): string[] => {
    const registrations = plugin === null ? undefined : registeredIn.get(plugin);
    if (plugin === null || !registrations || seen.includes(plugin)) return [""];
    const own = (r: { prefix: string; encapsulated: boolean }): string => (r.encapsulated && !unencapsulated.has(plugin) ? r.prefix : "");
    return [...new Set(registrations.flatMap((r) => urlPrefixes(r.parent, [...seen, plugin]).map((p) => joinPrefix(p, own(r)))))].sort(compare);
  };
  const unplacedPlugins = new Set<string>();
  const fastifyName = (e: EndpointFact, file: string): string => {
    if (e.url === null) return e.label;
    if (e.plugin !== null && !registeredIn.has(e.plugin) && registeredIn.size > 0 && !unplacedPlugins.has(e.plugin)) {
      unplacedPlugins.add(e.plugin);
      addUnresolved(
        e.label,
        file,
        e.line,
        "declared in a plugin registered nowhere the map can see: its routes are shown without the prefix it may be registered under",
      );
    }
    const prefix = urlPrefixes(e.plugin)[0]!;
    return prefix === "" ? e.label : fastifyRouteLabel(e.methods, joinPrefix(prefix, e.url));
  };

  // Endpoints.
  const endpoints: MapEndpoint[] = [];
  const endpointRanges: Array<{ id: string; file: string; line: number; endLine: number; handler: string | null }> = [];
  const usedIds = new Set<string>();
  for (const f of facts) {
    for (const e of f.endpoints) {
      const routerLine = f.routers.find((r) => r.name === e.router)?.line ?? e.line;
      // A server action is named by its export and its file (relative to the mapped folder): it has no URL.
      const name =
        e.next?.kind === "server-action"
          ? `action ${e.next.name} (${rel(f.file)})`
          : e.framework === "fastify"
            ? fastifyName(e, f.file)
            : endpointName(e, f.file, roots, prefixesOf, (what, reason) => addUnresolved(what, f.file, routerLine, reason));
      let id = `${e.framework}:${name}`;
      if (usedIds.has(id)) id = `${id} (${rel(f.file)}:${e.line})`;
      usedIds.add(id);
      let handler: string | null = null;
      if (e.handler) handler = await targetKey(f.file, e.line, `handler of ${name}`, e.handler);
      if (e.handlerUnresolved) addUnresolved(`handler of ${name}`, f.file, e.line, e.handlerUnresolved);
      endpointRanges.push({ id, file: f.file, line: e.line, endLine: e.endLine, handler });
      endpoints.push({
        id,
        framework: e.framework,
        name,
        kind: e.framework === "trpc" ? (e.procedureKind ?? "unknown") : e.next?.kind === "server-action" ? "action" : e.methods.join("|") || "unknown",
        operation: e.kind,
        location: { file: rel(f.file), line: e.line },
        auth: { access: e.access, why: e.accessWhy },
        input: { validation: e.validation, how: e.validationHow },
        hot: { hot: e.hot, why: e.hotWhy },
        handler: handler ? functions.get(handler)!.id : null,
        services: [],
        reads: [],
        writes: [],
        models: [],
        caches: [],
        effects: [],
        findings: [],
      });
    }
  }

  const typedFile = new Set(facts.filter((f) => f.typed).map((f) => f.file));
  const effectsOf = (entry: FunctionEntry): MapEffectRun[] =>
    entry.fact.effects.map((r) => ({
      runner: r.runner,
      service: entry.id,
      location: { file: rel(entry.file), line: r.line },
      kind: r.kind,
      typed: typedFile.has(entry.file),
      errors: r.errors,
      opaque: r.opaque,
      handled: r.handled,
    }));
  const byServiceLine = (a: MapEffectRun, b: MapEffectRun): number =>
    compare(a.service, b.service) || a.location.line - b.location.line || compare(a.runner, b.runner);

  const tables = sqlTables(input.migrations, input.schema?.model ?? null);
  const modelName = modelNamer(input.schema?.model ?? null, tables);
  const accessOf = (entry: FunctionEntry, inherited: MapCache | null) =>
    entry.fact.db.map((d): MapAccess => ({
      library: d.library,
      model: d.model === null ? null : modelName(d.library, d.model),
      operation: d.operation,
      kind: d.kind,
      service: entry.id,
      line: d.line,
      cache: cacheOf(d.cache) ?? inherited,
    }));

  // Reach: breadth first from each handler.
  const reached = new Set<string>();
  for (const [i, endpoint] of endpoints.entries()) {
    const start = endpointRanges[i]!.handler;
    if (!start) continue;
    const depthOf = new Map<string, { depth: number; cache: MapCache | null }>([[start, { depth: 0, cache: null }]]);
    const queue = [start];
    while (queue.length > 0) {
      const key = queue.shift()!;
      const here = depthOf.get(key)!;
      if (here.depth >= MAX_DEPTH) continue;
      const next = [...(await edgesOf(key))].sort((a, b) => compare(functions.get(a.to)!.id, functions.get(b.to)!.id));
      for (const edge of next) {
        if (depthOf.has(edge.to)) continue;
        depthOf.set(edge.to, { depth: here.depth + 1, cache: here.cache ?? edge.cache });
        queue.push(edge.to);
      }
    }
    const accesses: MapAccess[] = [];
    for (const [key, { depth, cache }] of depthOf) {
      const entry = functions.get(key)!;
      reached.add(key);
      endpoint.services.push({ id: entry.id, depth, cachedBy: cache });
      accesses.push(...accessOf(entry, cache));
      for (const c of entry.fact.caches) endpoint.caches.push({ by: c.by, service: entry.id, line: c.line });
      endpoint.effects.push(...effectsOf(entry));
    }
    endpoint.effects.sort(byServiceLine);
    endpoint.services.sort((a, b) => a.depth - b.depth || compare(a.id, b.id));
    accesses.sort((a, b) => compare(a.service, b.service) || a.line - b.line || compare(a.operation, b.operation));
    endpoint.reads = accesses.filter((a) => a.kind === "read");
    endpoint.writes = accesses.filter((a) => a.kind !== "read");
    endpoint.models = [...new Set(accesses.flatMap((a) => (a.model ? [a.model] : [])))].sort(compare);
    endpoint.caches.sort((a, b) => compare(a.service, b.service) || a.line - b.line || compare(a.by, b.by));
  }

  const services: MapService[] = [...reached]
    .map((key) => {
      const entry = functions.get(key)!;
      const accesses = accessOf(entry, null);
      return {
        id: entry.id,
        name: entry.fact.name,
        location: { file: rel(entry.file), line: entry.fact.line },
        handler: entry.fact.handler,
        calls: (edges.get(key) ?? [])
          .map((e) => ({ to: functions.get(e.to)!.id, line: e.line, cache: e.cache }))
          .sort((a, b) => a.line - b.line || compare(a.to, b.to)),
        reads: accesses.filter((a) => a.kind === "read"),
        writes: accesses.filter((a) => a.kind !== "read"),
        effects: effectsOf(entry).sort(byServiceLine),
        findings: [],
      };
    })
    .sort((a, b) => compare(a.id, b.id));

  const models = modelsOf(input.schema, tables, rel, endpoints);
  const findings = attachFindings(input.results, rel, endpointRanges, endpoints, functions, reached, services, models, input.schema, tables);
  for (const r of input.results) {
    for (const m of r.messages) if (m.fatal) addUnresolved(rel(r.filePath), r.filePath, m.line ?? 1, `cannot be parsed: ${m.message.split("\n")[0]}`);
  }
  unresolved.sort((a, b) => compare(a.location.file, b.location.file) || a.location.line - b.location.line || compare(a.what, b.what));
  endpoints.sort((a, b) => compare(a.id, b.id));
  return {
    version: MAP_SCHEMA_VERSION,
    tool: { name: "archlint", version: input.version },
    files: { code: facts.length, typed: facts.filter((f) => f.typed).length },
    endpoints,
    services,
    models,
    findings,
    unresolved,
  };
}

function cacheOf(cache: CacheFact | null): MapCache | null {
  if (!cache) return null;
  return { kind: cache.kind, by: cache.kind === "wrapper" ? cache.by : null };
}

/**
 * tRPC: the router keys from a root router down to the procedure. A router mounted nowhere the map
 * sees is a root when it is the only one or is named like the app's (`appRouter`); another is
 * named as the adapter names it (`billingRouter` -> `billing.`), with a note.
 */
function endpointName(
  e: EndpointFact,
  file: string,
  roots: string[],
  prefixesOf: (id: string) => string[][],
  note: (what: string, reason: string) => void,
): string {
  if (e.framework !== "trpc" || !e.keys) return e.label;
  if (!e.router) return e.keys.join(".");
  const id = `${file}#${e.router}`;
  const isRoot = roots.includes(id);
  if (isRoot && roots.length > 1 && !/^(app|_app|root|main|api)Router$/i.test(e.router) && e.router !== "router") {
    note(e.router, "a router mounted in no other router the map can see: its procedures are named after its variable");
    return e.label;
  }
  const names = prefixesOf(id)
    .map((p) => [...p, ...e.keys!].join("."))
    .sort(compare);
  return names[0]!;
}

/** Prisma delegates (`post`, `userProfile`) and Kysely tables (`posts`, `public.posts`) to the models' names. */
function modelNamer(schema: SchemaModel | null, tables: SqlTables): (library: "prisma" | "kysely", written: string) => string {
  const byDelegate = new Map<string, string>();
  const byTable = new Map<string, string>();
  for (const [name, { table }] of tables.byModel) {
    byTable.set(tableName(table), name);
    byTable.set(`${table.schema}.${table.name}`, name);
  }
  for (const m of schema?.models.values() ?? []) {
    byDelegate.set(m.name.charAt(0).toLowerCase() + m.name.slice(1), m.name);
    byTable.set(m.dbName, m.name);
  }
  return (library, written) =>
    library === "prisma" ? (byDelegate.get(written) ?? written.charAt(0).toUpperCase() + written.slice(1)) : (byTable.get(written) ?? written);
}

function modelsOf(schema: BuildInput["schema"], tables: SqlTables, rel: (f: string) => string, endpoints: MapEndpoint[]): MapModel[] {
  const out: MapModel[] = [];
  for (const m of schema?.model.models.values() ?? []) {
    const table = tables.byModel.get(m.name)?.table;
    out.push({
      name: m.name,
      table: m.dbName,
      location: { file: rel(m.filePath), line: m.node.loc.start.line },
      sources: table ? ["prisma", "sql"] : ["prisma"],
      relations: m.relations
        .map((r) => ({ field: r.fieldName, model: r.targetModel, fields: r.fields, references: r.references }))
        .sort((a, b) => compare(a.field, b.field)),
      indexes: m.indexes.map((i) => ({ kind: i.kind, fields: i.fields })),
      sql: table ? sqlModelFacts(table, rel) : null,
      readBy: [],
      writtenBy: [],
      findings: [],
    });
  }
  const prisma = new Set(out.map((m) => m.name));
  const modelOfTable = (written: string): string => [...tables.byModel].find(([, t]) => tableName(t.table) === written)?.[0] ?? written;
  for (const [name, { table }] of tables.byModel) if (!prisma.has(name)) out.push(sqlOnlyModel(name, table, rel, modelOfTable));
  for (const m of out) {
    m.readBy = endpoints
      .filter((e) => e.reads.some((r) => r.model === m.name))
      .map((e) => e.id)
      .sort(compare);
    m.writtenBy = endpoints
      .filter((e) => e.writes.some((r) => r.model === m.name))
      .map((e) => e.id)
      .sort(compare);
  }
  return out.sort((a, b) => compare(a.name, b.name));
}

function attachFindings(
  results: LintResult[],
  rel: (f: string) => string,
  ranges: Array<{ id: string; file: string; line: number; endLine: number; handler: string | null }>,
  endpoints: MapEndpoint[],
  functions: Map<string, FunctionEntry>,
  reached: Set<string>,
  services: MapService[],
  models: MapModel[],
  schema: BuildInput["schema"],
  tables: SqlTables,
): MapFinding[] {
  const findings: MapFinding[] = [];
  const endpointById = new Map(endpoints.map((e) => [e.id, e]));
  const serviceById = new Map(services.map((s) => [s.id, s]));
  const modelByName = new Map(models.map((m) => [m.name, m]));
  const fnRanges = [...functions.entries()]
    .filter(([key]) => reached.has(key))
    .map(([, e]) => ({ id: e.id, file: e.file, line: e.fact.line, endLine: e.fact.endLine }));
  const modelRanges = [...(schema?.model.models.values() ?? [])]
    .map((m) => ({
      id: m.name,
      file: m.filePath,
      line: m.node.loc.start.line,
      endLine: m.node.loc.end.line,
    }))
    .concat(tables.ranges);
  const innermost = <T extends { file: string; line: number; endLine: number }>(list: T[], file: string, line: number): T | null =>
    list.filter((r) => r.file === file && r.line <= line && line <= r.endLine).sort((a, b) => a.endLine - a.line - (b.endLine - b.line))[0] ?? null;
  for (const r of results) {
    for (const m of r.messages) {
      if (m.fatal || !m.ruleId) continue;
      const line = m.line ?? 1;
      const column = m.column ?? 1;
      const id = `${rel(r.filePath)}:${line}:${column}:${m.ruleId}`;
      let attachedTo: MapFinding["attachedTo"] = null;
      const fn = innermost(fnRanges, r.filePath, line);
      const ep = innermost(ranges, r.filePath, line);
      const model = innermost(modelRanges, r.filePath, line);
      // A finding in an inline handler belongs to its endpoint; one in a named service to that service.
      if (ep && (!fn || fn.line <= ep.line || functions.get(ep.handler ?? "")?.id === fn.id)) attachedTo = { kind: "endpoint", id: ep.id };
      else if (fn) attachedTo = { kind: "service", id: fn.id };
      else if (model) attachedTo = { kind: "model", id: model.id };
      findings.push({
        id,
        rule: m.ruleId,
        severity: m.severity === 2 ? "error" : "warning",
        message: m.message,
        location: { file: rel(r.filePath), line, column },
        attachedTo,
      });
      if (attachedTo?.kind === "endpoint") endpointById.get(attachedTo.id)!.findings.push(id);
      if (attachedTo?.kind === "service") serviceById.get(attachedTo.id)!.findings.push(id);
      if (attachedTo?.kind === "model") modelByName.get(attachedTo.id)!.findings.push(id);
    }
  }
  const byLocation = (a: MapFinding, b: MapFinding): number =>
    compare(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column || compare(a.rule, b.rule);
  findings.sort(byLocation);
  for (const list of [...endpoints, ...services, ...models]) list.findings.sort(compare);
  return findings;
}
