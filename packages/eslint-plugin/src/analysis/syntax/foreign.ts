import { createRequire } from "node:module";
import type { ParserServicesWithTypeInformation } from "@typescript-eslint/typescript-estree";
import type { ParseSettings } from "@typescript-eslint/typescript-estree/use-at-your-own-risk";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import type { TSESLint } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import { SourceCode } from "eslint";
import { analysisGeneration, isRecordingReads, noteFileRead, replayReads, type ParsedModule } from "@archlint/core";
import type * as ts from "typescript";
import { isFunction, unwrap, type Context, type Node } from "./ast.js";
import type { TypeInfo } from "./types.js";

type ScopeManager = typeof import("@typescript-eslint/scope-manager");
type Estree = typeof import("@typescript-eslint/typescript-estree");
type EstreeInternals = typeof import("@typescript-eslint/typescript-estree/use-at-your-own-risk");
const require = createRequire(import.meta.url);
interface Converter {
  TSError: Estree["TSError"];
  astConverter: EstreeInternals["astConverter"];
  analyze: ScopeManager["analyze"];
}
let converterModules: Converter | null = null;

/**
 * typescript-estree loads TypeScript as it loads. Only a typed run (which has a program, and so
 * TypeScript already) converts another file, so the converter and the scope analyser are loaded on
 * first use: `archlint schema` and a syntax-only check never pay for them.
 */
function converter(): Converter {
  converterModules ??= {
    analyze: (require("@typescript-eslint/scope-manager") as ScopeManager).analyze,
    TSError: (require("@typescript-eslint/typescript-estree") as Estree).TSError,
    astConverter: (require("@typescript-eslint/typescript-estree/use-at-your-own-risk") as EstreeInternals).astConverter,
  };
  return converterModules;
}

/**
 * One syntax tree for the whole program: a declaration the type checker finds in another file is
 * read as ESTree too, so every recogniser answers the same way for code in the linted file and
 * code it reaches in other files. A file is converted from the program's own `ts.SourceFile`
 * (typescript-estree with node maps, so the type checker still answers for its nodes), with its
 * scope analysis, and kept for the next linted files that reach it, up to `FOREIGN_TREES` per
 * program (see there); all die with the program.
 */

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

export interface ForeignTree {
  sourceCode: TSESLint.SourceCode;
  tsToEstree: WeakMap<ts.Node, Node>;
}

/**
 * How many converted files a program keeps. The project service keeps one program for the whole
 * run, so keeping every tree grew a typed run by ~62 KB per reached file of `bench/rules`' project
 * (19 MB live at 1,000 files, 313 trees), and by more on real files. Trees reached while linting
 * one file are never dropped during that file's lint (recognisers compare nodes by identity, and
 * a tree converted twice would break their cycle checks); past this count, the least recently used
 * tree of an earlier file goes, and its node memos (keyed weakly by its nodes) with it.
 */
export const FOREIGN_TREES = 100;

interface Kept {
  tree: ForeignTree | null;
  /** The lint (`analysisGeneration`) that last read it. */
  generation: number;
}

/**
 * Per program, then per file in least- to most-recently used order: a SourceFile outlives its
 * program when TypeScript reuses it in the next one, and a tree must answer with the checker of
 * the program it is read for.
 */
const trees = new WeakMap<ts.Program, Map<ts.SourceFile, Kept>>();

/** Drops the least recently used trees of earlier lints beyond `FOREIGN_TREES`. */
function trim(byFile: Map<ts.SourceFile, Kept>, generation: number): void {
  for (const [file, kept] of byFile) {
    if (byFile.size <= FOREIGN_TREES) return;
    // In use order: once one is the current lint's, so are all after it.
    if (kept.generation === generation) return;
    byFile.delete(file);
  }
}

function setParents(node: Node, keys: typeof visitorKeys): void {
  for (const key of keys[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    for (const c of Array.isArray(child) ? child : [child]) {
      if (c && typeof c === "object" && "type" in c) {
        (c as { parent: Node }).parent = node;
        setParents(c as Node, keys);
      }
    }
  }
}

/**
 * What `astConverter` reads of typescript-estree's parse settings. Tokens are left out: no
 * recogniser reads another file's tokens, and converting them would rescan the whole file.
 */
const CONVERT_SETTINGS: Pick<
  ParseSettings,
  "range" | "loc" | "comment" | "tokens" | "suppressDeprecatedPropertyWarnings" | "errorOnUnknownASTType" | "allowInvalidAST"
> = { range: true, loc: true, comment: true, tokens: null, suppressDeprecatedPropertyWarnings: true, errorOnUnknownASTType: false, allowInvalidAST: false };

/** The parser services typescript-estree gives a linted file (its `createParserServices`, which it does not export). */
function servicesFor(
  program: ts.Program,
  { esTreeNodeToTSNodeMap, tsNodeToESTreeNodeMap }: ReturnType<EstreeInternals["astConverter"]>["astMaps"],
): ParserServicesWithTypeInformation {
  const checker = program.getTypeChecker();
  const options = program.getCompilerOptions();
  return {
    program,
    emitDecoratorMetadata: options.emitDecoratorMetadata ?? false,
    experimentalDecorators: options.experimentalDecorators ?? false,
    isolatedDeclarations: options.isolatedDeclarations ?? false,
    esTreeNodeToTSNodeMap,
    tsNodeToESTreeNodeMap,
    getContextualType: (node) => checker.getContextualType(esTreeNodeToTSNodeMap.get(node) as ts.Expression),
    getResolvedSignature: (node) => checker.getResolvedSignature(esTreeNodeToTSNodeMap.get(node)),
    getSymbolAtLocation: (node) => checker.getSymbolAtLocation(esTreeNodeToTSNodeMap.get(node)),
    getTypeAtLocation: (node) => checker.getTypeAtLocation(esTreeNodeToTSNodeMap.get(node)),
    getTypeFromTypeNode: (node) => checker.getTypeFromTypeNode(esTreeNodeToTSNodeMap.get(node) as ts.TypeNode),
    getTypeOfSymbolAtLocation: (symbol, node) => checker.getTypeOfSymbolAtLocation(symbol, esTreeNodeToTSNodeMap.get(node)),
  };
}

/** The file as ESTree with scopes and type information, or null when typescript-estree cannot convert it (a syntax error). */
export function estreeOf(program: ts.Program, sourceFile: ts.SourceFile): ForeignTree | null {
  noteFileRead(sourceFile.fileName);
  let byFile = trees.get(program);
  if (!byFile) trees.set(program, (byFile = new Map()));
  const generation = analysisGeneration();
  const cached = byFile.get(sourceFile);
  if (cached !== undefined) {
    // Most recently used last.
    cached.generation = generation;
    byFile.delete(sourceFile);
    byFile.set(sourceFile, cached);
    trim(byFile, generation);
    return cached.tree;
  }
  let tree: ForeignTree | null = null;
  const { TSError, astConverter, analyze } = converter();
  try {
    // typescript-estree's parse would build its parse settings and look the file up again (about
    // three times the cost); the program's own SourceFile is converted directly.
    // The checker binds the program's files, which sets the parent pointers the converter reads.
    program.getTypeChecker();
    const { estree, astMaps } = astConverter(sourceFile, CONVERT_SETTINGS as ParseSettings, true);
    estree.tokens = [];
    setParents(estree, visitorKeys);
    // Library globals are left out: an unresolved name and a library one both read as "global".
    const scopeManager = analyze(estree, { sourceType: "module", lib: [] });
    const parserServices = servicesFor(program, astMaps);
    const sourceCode = new SourceCode({
      text: sourceFile.text,
      ast: estree as never,
      parserServices,
      scopeManager: scopeManager as never,
      visitorKeys: visitorKeys as never,
    }) as unknown as TSESLint.SourceCode;
    tree = { sourceCode, tsToEstree: astMaps.tsNodeToESTreeNodeMap as unknown as WeakMap<ts.Node, Node> };
  } catch (error) {
    // A file TypeScript could not parse has no tree to read.
    if (!(error instanceof TSError)) throw error;
  }
  byFile.set(sourceFile, { tree, generation });
  trim(byFile, generation);
  return tree;
}

const contexts = new WeakMap<TSESLint.SourceCode, WeakMap<object, Context>>();

/**
 * A rule context for reading another file: its tree, scopes and parser services, with the linted
 * file's settings and working directory. Recognisers read it; nothing reports through it.
 */
function foreignContext(context: Context, sourceCode: TSESLint.SourceCode, fileName: string): Context {
  let bySettings = contexts.get(sourceCode);
  if (!bySettings) contexts.set(sourceCode, (bySettings = new WeakMap()));
  const settings = context.settings as object;
  let foreign = bySettings.get(settings);
  if (!foreign) {
    const fields = { sourceCode, settings: context.settings, cwd: context.cwd, filename: fileName, physicalFilename: fileName, options: [] };
    // Only what the recognisers read of a context; `report` would point into the wrong file.
    foreign = fields as unknown as Context;
    bySettings.set(settings, foreign);
  }
  return foreign;
}

/**
 * The ESTree node for a TypeScript node of the program, with the context to read it in: the linted
 * file's own when the node is there, else its file's converted tree. null for declaration files
 * (no bodies to read) and files that cannot be converted.
 */
export function estreeNodeOf(context: Context, info: TypeInfo, tsNode: ts.Node): { context: Context; node: Node } | null {
  const sourceFile = tsNode.getSourceFile();
  if (sourceFile.isDeclarationFile) return null;
  // The linted file's parser services map only its own nodes.
  const own = info.services.tsNodeToESTreeNodeMap.get(tsNode as never) as Node | undefined;
  if (own) return { context, node: own };
  const tree = estreeOf(info.program, sourceFile);
  const node = tree?.tsToEstree.get(tsNode);
  return tree && node ? { context: foreignContext(context, tree.sourceCode, sourceFile.fileName), node } : null;
}

/**
 * The function with a body a declaration found by the type checker stands for, on TypeScript's
 * side: a function, a method, or a variable, property or field holding one
 * (`export const handler = async (opts) => ...`); null for one without a body (a `.d.ts`, an overload).
 */
export function tsFunctionOf(t: typeof ts, decl: ts.Node): ts.SignatureDeclaration | null {
  const tsFn = t.isFunctionLike(decl)
    ? decl
    : (t.isVariableDeclaration(decl) || t.isPropertyAssignment(decl) || t.isPropertyDeclaration(decl)) && decl.initializer && t.isFunctionLike(decl.initializer)
      ? decl.initializer
      : null;
  return tsFn && "body" in tsFn && tsFn.body ? tsFn : null;
}

/** The function a declaration found by the type checker stands for (`tsFunctionOf`), as ESTree. */
export function estreeFunctionOf(context: Context, info: TypeInfo, t: typeof ts, decl: ts.Node): { context: Context; fn: FunctionNode } | null {
  // Checked on TypeScript's side first: a declaration without a body needs no conversion.
  const tsFn = tsFunctionOf(t, decl);
  if (!tsFn) return null;
  const found = estreeNodeOf(context, info, tsFn);
  if (!found) return null;
  let node = found.node;
  if (node.type === AST_NODE_TYPES.MethodDefinition || node.type === AST_NODE_TYPES.Property || node.type === AST_NODE_TYPES.PropertyDefinition)
    node = node.value ?? node;
  node = unwrap(node);
  return isFunction(node) ? { context: found.context, fn: node } : null;
}

/**
 * What the type checker's answers about a linted file can depend on: the project files it imports,
 * directly or through others (their declarations and inferred types), the program's global
 * scripts (`declare global`, ambient `.d.ts` files of the project) and its tsconfig. Dependencies in
 * node_modules are left out (a lockfile change is a new install). Noted for the linted file when
 * reads are recorded (`archlint check --cache`).
 */
type ResolvingProgram = ts.Program & {
  getResolvedModuleFromModuleSpecifier?(
    specifier: ts.StringLiteralLike,
    sourceFile: ts.SourceFile,
  ): { resolvedModule?: { resolvedFileName: string } } | undefined;
};
const importsByProgram = new WeakMap<ts.Program, { direct: Map<string, string[]>; globals: string[] }>();

function projectFile(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  return (
    !program.isSourceFileFromExternalLibrary(sourceFile) &&
    !program.isSourceFileDefaultLibrary(sourceFile) &&
    !/[\\/]node_modules[\\/]/.test(sourceFile.fileName)
  );
}

export function noteProgramReads(program: ts.Program, fileName: string): void {
  if (!isRecordingReads()) return;
  let facts = importsByProgram.get(program);
  if (!facts) {
    const globals: string[] = [];
    for (const sf of program.getSourceFiles()) {
      // A script (no import or export) declares globals every file sees.
      if (projectFile(program, sf) && !(sf as { externalModuleIndicator?: unknown }).externalModuleIndicator) globals.push(sf.fileName);
    }
    const config = program.getCompilerOptions().configFilePath;
    if (typeof config === "string") globals.push(config);
    importsByProgram.set(program, (facts = { direct: new Map(), globals }));
  }
  const { direct } = facts;
  const importsOf = (sf: ts.SourceFile): string[] => {
    let out = direct.get(sf.fileName);
    if (out) return out;
    // Internal to TypeScript's types (5.3+); without it, every project file of the program counts.
    const resolve = (program as ResolvingProgram).getResolvedModuleFromModuleSpecifier?.bind(program);
    if (!resolve) {
      out = program
        .getSourceFiles()
        .filter((f) => f !== sf && projectFile(program, f))
        .map((f) => f.fileName);
      direct.set(sf.fileName, out);
      return out;
    }
    out = [];
    for (const specifier of (sf as { imports?: readonly ts.StringLiteralLike[] }).imports ?? []) {
      const resolved = resolve(specifier, sf)?.resolvedModule?.resolvedFileName;
      const target = resolved === undefined ? undefined : program.getSourceFile(resolved);
      if (target && projectFile(program, target)) out.push(target.fileName);
    }
    direct.set(sf.fileName, out);
    return out;
  };
  const seen = new Set<string>([fileName]);
  const queue = [fileName];
  while (queue.length > 0) {
    const sf = program.getSourceFile(queue.pop()!);
    if (!sf) continue;
    for (const next of importsOf(sf)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  seen.delete(fileName);
  replayReads([...seen, ...facts.globals].map((f) => `f:${f}`));
}

/**
 * A module core's index parsed (`readModule`: the one parse per file version, shared with the
 * builder tracing), as a context the recognisers read: the same tree with parents and scopes set
 * once per parsed version, without type information. For facts a syntax-only run gathers across
 * the project (which models are read through a cache); nothing reports through it.
 */
const moduleTrees = new WeakMap<ParsedModule, TSESLint.SourceCode>();

export function parsedModuleContext(context: Context, module: ParsedModule): Context {
  let sourceCode = moduleTrees.get(module);
  if (!sourceCode) {
    const program = module.program as unknown as TSESTree.Program;
    setParents(program, visitorKeys);
    const scopeManager = converter().analyze(program, { sourceType: "module", lib: [] });
    // ESLint's SourceCode wants a located Program with token and comment lists; core parses
    // without them (no recogniser reads another file's tokens), so the shell carries empty ones.
    const end = module.text.length;
    const located = Object.assign(program, {
      tokens: program.tokens ?? [],
      comments: program.comments ?? [],
      loc: program.loc ?? { start: { line: 1, column: 0 }, end: { line: module.text.split("\n").length, column: end } },
    });
    sourceCode = new SourceCode({
      text: module.text,
      ast: located as never,
      scopeManager: scopeManager as never,
      visitorKeys: visitorKeys as never,
    }) as unknown as TSESLint.SourceCode;
    moduleTrees.set(module, sourceCode);
  }
  return foreignContext(context, sourceCode, module.file);
}
