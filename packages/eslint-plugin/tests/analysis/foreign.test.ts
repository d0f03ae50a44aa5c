import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AST_NODE_TYPES } from "@typescript-eslint/types";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { estreeOf } from "../../src/analysis/syntax/foreign.js";

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
