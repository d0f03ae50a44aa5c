import fs from "node:fs";
import path from "node:path";
import { archlint, assertBuilt, copyInto, DEMO, DEMO_SCHEMA_FINDINGS, makeTmpDir, ROOT, RULE, type JsonResult } from "../cli/helpers.js";
import { applyTextEdits, eslintServerScript, fileUri, setUpEditorProject, startEslintServer, type LspClient } from "./lsp.mjs";

/**
 * archlint in the editor, for real: VS Code's ESLint language server (`vscode-eslint-language-server
 * --stdio`, a devDependency) runs on a copy of fixtures/demo-app with an `eslint.config.mjs` using
 * archlint's `recommended` preset. Documents are opened and edited as VS Code does (unsaved
 * buffers), and diagnostics are pulled with `textDocument/diagnostic`. The expected findings come
 * from `archlint check --format json` on the same project, converted to LSP's 0-based ranges.
 */

interface Position {
  line: number;
  character: number;
}
interface Finding {
  rule: string | null;
  message: string;
  range: { start: Position; end: Position };
}
interface LspDiagnostic {
  code?: string | number | { value: string | number };
  message: string;
  range: { start: Position; end: Position };
  source?: string;
}
interface CodeAction {
  title: string;
  command: { command: string; arguments: unknown[] };
}

const script = eslintServerScript(ROOT);
if (!script) console.warn("tests/editor skipped: node_modules/vscode-langservers-extracted is not installed (run `pnpm install`).");

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || String(a.rule).localeCompare(String(b.rule));
}

function fromServer(items: LspDiagnostic[]): Finding[] {
  return items
    .map((d) => ({
      rule: d.code === undefined ? null : typeof d.code === "object" ? String(d.code.value) : String(d.code),
      message: d.message,
      range: d.range,
    }))
    .sort(byPosition);
}

/** ESLint's 1-based line and column (end exclusive) as an LSP range, as the ESLint extension converts them. */
function fromCli(result: JsonResult | undefined): Finding[] {
  return (result?.messages ?? [])
    .map((m) => {
      const start = { line: m.line - 1, character: m.column - 1 };
      return {
        rule: m.ruleId,
        message: m.message,
        range: { start, end: { line: (m.endLine ?? m.line) - 1, character: (m.endColumn ?? m.column) - 1 } },
      };
    })
    .sort(byPosition);
}

function shiftLines(findings: Finding[], fromLine: number, by: number): Finding[] {
  const shift = (p: Position): Position => (p.line >= fromLine ? { line: p.line + by, character: p.character } : p);
  return findings.map((f) => ({ ...f, range: { start: shift(f.range.start), end: shift(f.range.end) } }));
}

/** The lines `after` has in place of `before`'s, between their common first and last lines. */
function changedLines(before: string, after: string): { at: number; removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { at: start, removed: a.slice(start, endA), added: b.slice(start, endB) };
}

function insertLines(text: string, atLine: number, lines: string[]): string {
  const all = text.split("\n");
  all.splice(atLine, 0, ...lines);
  return all.join("\n");
}

describe.skipIf(!script)("archlint in VS Code's ESLint language server", () => {
  let dir: string;
  let client: LspClient | undefined;
  let schemaPath: string;
  let routerPath: string;
  let schemaText: string;
  let routerText: string;
  let expectedSchema: Finding[];
  let expectedRouter: Finding[];

  /** The server's raw diagnostics; its error log must stay empty (a crashed rule shows up only there). */
  async function pullRaw(filePath: string): Promise<LspDiagnostic[]> {
    const items = (await client!.diagnostics(filePath)) as LspDiagnostic[];
    const errors = client!.notifications.filter((n) => n.method === "window/logMessage" && (n.params as { type: number }).type === 1);
    expect(errors.map((n) => (n.params as { message: string }).message)).toEqual([]);
    return items;
  }
  async function pull(filePath: string): Promise<Finding[]> {
    return fromServer(await pullRaw(filePath));
  }

  /** On the unedited schema, run the quick fix titled `title` offered for its first finding; the schema's text after it. */
  async function quickFixFirstSchemaFinding(title: string, version: number): Promise<string> {
    client!.change(schemaPath, version, schemaText);
    const diagnostic = (await pullRaw(schemaPath)).find((d) => d.range.start.line === expectedSchema[0]!.range.start.line)!;
    const actions = (await client!.request("textDocument/codeAction", {
      textDocument: { uri: fileUri(schemaPath) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ["quickfix"] },
    })) as CodeAction[];
    const action = actions.find((a) => a.title === title);
    expect(action, actions.map((a) => a.title).join("; ")).toBeDefined();
    const edits = await client!.runCodeAction(action!, schemaPath);
    expect(edits.length).toBeGreaterThan(0);
    const fixed = applyTextEdits(schemaText, edits);
    client!.change(schemaPath, version + 1, fixed);
    return fixed;
  }

  beforeAll(async () => {
    assertBuilt();
    dir = makeTmpDir("editor");
    copyInto(DEMO, dir);
    setUpEditorProject(ROOT, dir);
    schemaPath = path.join(dir, "prisma/schema.prisma");
    routerPath = path.join(dir, "src/server/routers/user.ts");
    schemaText = fs.readFileSync(schemaPath, "utf8");
    routerText = fs.readFileSync(routerPath, "utf8");

    const run = archlint(["check", ".", "--format", "json"], dir);
    expect(run.stderr).toBe("");
    const results = JSON.parse(run.stdout) as JsonResult[];
    expectedSchema = fromCli(results.find((r) => r.filePath === schemaPath));
    expectedRouter = fromCli(results.find((r) => r.filePath === routerPath));

    client = await startEslintServer(script!, dir);
    client.open(schemaPath, "prisma", schemaText);
    client.open(routerPath, "typescript", routerText);
  });

  afterAll(async () => {
    await client?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports the schema's unindexed relations and redundant index at the ranges ESLint reports", async () => {
    expect(expectedSchema.map((f) => [f.rule, f.range.start.line + 1])).toEqual(DEMO_SCHEMA_FINDINGS);
    expect(await pull(schemaPath)).toEqual(expectedSchema);
  });

  it("reports the router's findings at the ranges ESLint reports", async () => {
    expect(expectedRouter.map((f) => f.rule)).toContain("archlint/trpc-require-input");
    expect(await pull(routerPath)).toEqual(expectedRouter);
  });

  it("drops a schema finding when the missing @@index is typed in (unsaved), and brings it back on undo", async () => {
    const membershipUser = expectedSchema[0]!;
    expect(membershipUser.message).toContain("`Membership.userId`");
    // The index goes last in the Membership block: before the `}` that follows the relation.
    const lines = schemaText.split("\n");
    const close = lines.findIndex((l, i) => i > membershipUser.range.start.line && l.trim() === "}");
    const edited = insertLines(schemaText, close, ["  @@index([userId])"]);

    client!.change(schemaPath, 2, edited);
    expect(await pull(schemaPath)).toEqual(shiftLines(expectedSchema.slice(1), close, 1));
    expect(fs.readFileSync(schemaPath, "utf8")).toBe(schemaText);

    client!.change(schemaPath, 3, schemaText);
    expect(await pull(schemaPath)).toEqual(expectedSchema);
  });

  it("offers archlint's fix as a quick fix: applied, it adds the @@index and the finding goes away", async () => {
    const fixed = await quickFixFirstSchemaFinding(`Fix this ${RULE} problem`, 4);
    const { at, removed, added } = changedLines(schemaText, fixed);
    expect([removed, added.map((l) => l.trim())]).toEqual([[], ["@@index([userId])"]]);
    expect(at).toBeGreaterThan(expectedSchema[0]!.range.start.line);
    expect(at).toBeLessThan(expectedSchema[1]!.range.start.line);
    expect(await pull(schemaPath)).toEqual(shiftLines(expectedSchema.slice(1), at, 1));
  });

  it("offers to disable the rule for the line: the comment works in the schema", async () => {
    const disabled = await quickFixFirstSchemaFinding(`Disable ${RULE} for this line`, 6);
    const { at, removed, added } = changedLines(schemaText, disabled);
    expect([removed, added.map((l) => l.trim())]).toEqual([[], [`// eslint-disable-next-line ${RULE}`]]);
    expect(at).toBe(expectedSchema[0]!.range.start.line);
    expect(await pull(schemaPath)).toEqual(shiftLines(expectedSchema.slice(1), at, 1));

    client!.change(schemaPath, 8, schemaText);
    expect(await pull(schemaPath)).toEqual(expectedSchema);
  });

  /** `archlint check --format json` on one file of the copy, as the editor's diagnostics. */
  function cliFindings(filePath: string): Finding[] {
    const run = archlint(["check", path.relative(dir, filePath), "--format", "json"], dir);
    return fromCli((JSON.parse(run.stdout) as JsonResult[]).find((r) => r.filePath === filePath));
  }

  /** Save `text` to `filePath` as another editor tab (or git) would: on disk, then the watcher's notice. */
  function saveOnDisk(filePath: string, text: string): void {
    fs.writeFileSync(filePath, text);
    client!.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(filePath), type: 2 }] });
  }

  it("a saved schema edit reaches an open service file's diagnostics on the next lint, and so does its undo", async () => {
    const servicePath = path.join(dir, "src/server/services/user.service.ts");
    client!.open(servicePath, "typescript", fs.readFileSync(servicePath, "utf8"));
    const before = cliFindings(servicePath);
    expect(before.map((f) => f.rule)).toContain("archlint/db-where-indexed");
    expect(await pull(servicePath)).toEqual(before);

    const indexed = schemaText.replace("model AuditLog {", "model AuditLog {\n  @@index([entityId])");
    expect(indexed).not.toBe(schemaText);
    saveOnDisk(schemaPath, indexed);
    const after = cliFindings(servicePath);
    expect(after).not.toEqual(before);
    expect(await pull(servicePath)).toEqual(after);

    saveOnDisk(schemaPath, schemaText);
    expect(await pull(servicePath)).toEqual(before);
  });

  it("a saved edit of the builders file (trpc.ts) reaches an open router's diagnostics on the next lint, and so does its undo", async () => {
    const trpcPath = path.join(dir, "src/server/trpc.ts");
    const trpcText = fs.readFileSync(trpcPath, "utf8");
    const orgPath = path.join(dir, "src/server/routers/org.ts");
    client!.open(orgPath, "typescript", fs.readFileSync(orgPath, "utf8"));
    const before = cliFindings(orgPath);
    expect(before.map((f) => f.rule)).not.toContain("archlint/cache-hot-reads");
    expect(await pull(orgPath)).toEqual(before);

    // protectedProcedure loses its auth middleware: the router's protected queries become public, so hot.
    const open = trpcText.replace("export const protectedProcedure = t.procedure.use(enforceUserIsAuthed);", "export const protectedProcedure = t.procedure;");
    expect(open).not.toBe(trpcText);
    saveOnDisk(trpcPath, open);
    const after = cliFindings(orgPath);
    expect(after.map((f) => f.rule)).toContain("archlint/cache-hot-reads");
    expect(await pull(orgPath)).toEqual(after);

    saveOnDisk(trpcPath, trpcText);
    expect(await pull(orgPath)).toEqual(before);
  });

  it("reports a procedure typed into the router that reads input it never validates", async () => {
    const lines = routerText.split("\n");
    const at = lines.findIndex((l) => l.startsWith("export const userRouter = router({")) + 1;
    expect(at).toBeGreaterThan(0);
    const added = [
      "  deleteAccount: protectedProcedure.mutation(async ({ ctx, input }) => {",
      "    return ctx.prisma.user.delete({ where: { id: input.id } });",
      "  }),",
    ];
    client!.change(routerPath, 2, insertLines(routerText, at, added));

    const diagnostics = await pull(routerPath);
    const character = added[0]!.indexOf("mutation");
    const fresh = diagnostics.filter((d) => d.range.start.line === at);
    expect(fresh.map((d) => [d.rule, d.range])).toEqual([
      ["archlint/trpc-require-input", { start: { line: at, character }, end: { line: at, character: character + "mutation".length } }],
    ]);
    expect(fresh[0]!.message).toContain("`user.deleteAccount`");
    expect(diagnostics.filter((d) => d.range.start.line !== at)).toEqual(shiftLines(expectedRouter, at, added.length));
  });
});

/**
 * The type-aware rules in the editor: the same server on another copy of the demo app, whose
 * config is `recommended-type-checked` (typescript-eslint's project service) and whose imports
 * resolve (the demo's dependencies, linked by `pnpm install`, are linked into the copy).
 */
describe.skipIf(!script)("ESLint language server with recommended-type-checked", { timeout: 120_000 }, () => {
  let client: LspClient | undefined;
  let dir = "";
  let routerPath = "";
  let routerText = "";
  let expected: Finding[] = [];

  beforeAll(async () => {
    assertBuilt();
    dir = makeTmpDir("editor-typed");
    copyInto(DEMO, dir);
    setUpEditorProject(ROOT, dir);
    fs.writeFileSync(
      path.join(dir, "eslint.config.mjs"),
      'import archlint from "eslint-plugin-archlint";\n\nexport default [\n  ...archlint.configs["recommended-type-checked"],\n  { languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } } },\n];\n',
    );
    const demoModules = path.join(DEMO, "node_modules");
    for (const name of ["effect", "@trpc/server", "zod", "fastify", "ioredis", "@types/node"]) {
      const target = fs.realpathSync(path.join(demoModules, name)); // linked by `pnpm install` (scripts/link-demo-deps.mjs)
      fs.mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
      fs.symlinkSync(target, path.join(dir, "node_modules", name), "dir");
    }
    routerPath = path.join(dir, "src/server/effect/billing.router.ts");
    routerText = fs.readFileSync(routerPath, "utf8");
    const run = archlint(["check", "src/server/effect/billing.router.ts", "--format", "json"], dir);
    expect(run.stderr).toBe("");
    expected = fromCli((JSON.parse(run.stdout) as JsonResult[]).find((r) => r.filePath === routerPath));
    client = await startEslintServer(script!, dir);
    client.open(routerPath, "typescript", routerText);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports an Effect whose typed errors escape a tRPC resolver, at the range ESLint reports, and drops it once handled", async () => {
    expect(expected.map((f) => f.rule)).toEqual(["archlint/effect-no-escaping-errors"]);
    expect(expected[0]!.message).toContain("`InvoiceNotFound | LedgerError`");
    const items = (await client!.diagnostics(routerPath)) as LspDiagnostic[];
    expect(fromServer(items)).toEqual(expected);

    // Handled before the run: the finding goes away in the unsaved buffer.
    const handled = routerText.replace(
      ".query(({ input }) => InvoiceService.byId(input.invoiceId).pipe(runPromise)),",
      ".query(({ input }) => InvoiceService.byId(input.invoiceId).pipe(Effect.orDie, runPromise)),",
    );
    expect(handled).not.toBe(routerText);
    client!.change(routerPath, 2, handled);
    expect(fromServer((await client!.diagnostics(routerPath)) as LspDiagnostic[])).toEqual([]);
  });
});
