import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AST_NODE_TYPES } from "@typescript-eslint/types";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { lintingFile } from "@archlint/core";
import { estreeOf, FOREIGN_TREES } from "../../src/analysis/syntax/foreign.js";

function programOf(files: Record<string, string>): { program: ts.Program; file: (name: string) => ts.SourceFile } {
  const dir = mkdtempSync(path.join(tmpdir(), "archlint-foreign-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((name) => path.join(dir, name)),
    { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, strict: true, noEmit: true, types: [] },
  );
  return { program, file: (name) => program.getSourceFile(path.join(dir, name))! };
}

const SERVICE = `import { prisma } from "./db";
const feedArgs = { take: 20, cacheStrategy: { ttl: 60 } };
export class FeedService {
  list() {
    return prisma.post.findMany(feedArgs);
  }
}
`;

describe("estreeOf: another file of the program as ESTree", () => {
  const { program, file } = programOf({ "db.ts": "export declare const prisma: any;\n", "feed.service.ts": SERVICE, "broken.ts": "export const = ;\n" });

  it("converts the program's own SourceFile once, and maps its TypeScript nodes to ESTree nodes with parents", () => {
    const sourceFile = file("feed.service.ts");
    const tree = estreeOf(program, sourceFile);
    expect(tree).not.toBeNull();
    expect(estreeOf(program, sourceFile)).toBe(tree);
    const method = (sourceFile.statements[2] as ts.ClassDeclaration).members[0] as ts.MethodDeclaration;
    const node = tree!.tsToEstree.get(method);
    expect(node?.type).toBe(AST_NODE_TYPES.MethodDefinition);
    expect(node?.parent?.type).toBe(AST_NODE_TYPES.ClassBody);
    expect(tree!.sourceCode.getText(node!)).toBe(method.getText());
    // The type checker answers for the tree's nodes: they are the program's own.
    const services = tree!.sourceCode.parserServices;
    expect(services?.program).toBe(program);
    expect(services?.esTreeNodeToTSNodeMap?.get(node!)).toBe(method);
  });

  it("reads scopes: an identifier in the method resolves to the file's constant", () => {
    const tree = estreeOf(program, file("feed.service.ts"))!;
    const declarator = tree.sourceCode.ast.body[1];
    expect(declarator?.type).toBe(AST_NODE_TYPES.VariableDeclaration);
    const variable = tree.sourceCode.getScope(tree.sourceCode.ast).childScopes[0]?.set.get("feedArgs");
    expect(variable?.references.map((r) => r.identifier.loc.start.line)).toEqual([2, 5]);
  });

  it("answers null for a file TypeScript could not parse, once", () => {
    expect(estreeOf(program, file("broken.ts"))).toBeNull();
    expect(estreeOf(program, file("broken.ts"))).toBeNull();
  });
});

describe("estreeOf: how many converted files a program keeps", () => {
  const names = Array.from({ length: FOREIGN_TREES + 2 }, (_, i) => `service${i}.ts`);
  const { program, file } = programOf(Object.fromEntries(names.map((name, i) => [name, `export const answer${i} = () => ${i};\n`])));

  it("keeps every tree the current lint read, however many, and drops the least recently used of earlier lints past the limit", () => {
    lintingFile("router-a.ts", {});
    const first = names.map((name) => estreeOf(program, file(name)));
    expect(first.every((t) => t !== null)).toBe(true);
    // One lint reads all of them: none is dropped while it runs, so each answers with the same nodes.
    names.forEach((name, i) => expect(estreeOf(program, file(name))).toBe(first[i]));

    // The next lint reads the first file (the least recently used, now the most): the two after it go.
    lintingFile("router-b.ts", {});
    expect(estreeOf(program, file(names[0]!))).toBe(first[0]);
    expect(estreeOf(program, file(names.at(-1)!))).toBe(first.at(-1));
    const again = estreeOf(program, file(names[1]!));
    expect(again).not.toBe(first[1]);
    expect(again?.sourceCode.text).toBe(first[1]?.sourceCode.text);
    // Converting it again pushed out the least recently used tree of the earlier lint, not one this lint read.
    expect(estreeOf(program, file(names[0]!))).toBe(first[0]);
    expect(estreeOf(program, file(names[1]!))).toBe(again);
    expect(estreeOf(program, file(names[3]!))).not.toBe(first[3]);
  });
});
