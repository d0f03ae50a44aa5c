/**
 * A small Language Server Protocol client for the real ESLint language server
 * (`vscode-eslint-language-server --stdio` from `vscode-langservers-extracted`), shared by
 * tests/editor and bench/editor. JSON-RPC 2.0 with Content-Length framing over stdio; it answers
 * the server's own requests the way VS Code's ESLint extension does (`workspace/configuration`
 * with the extension's settings object, null for the rest) and pulls diagnostics with
 * `textDocument/diagnostic`, as the extension does since the server announces a diagnostic
 * provider.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Path of the server's script inside the repository's node_modules, or null when not installed. */
export function eslintServerScript(root) {
  const script = path.join(root, "node_modules/vscode-langservers-extracted/bin/vscode-eslint-language-server");
  return fs.existsSync(script) ? script : null;
}

export function fileUri(filePath) {
  return pathToFileURL(filePath).href;
}

/**
 * The settings object the ESLint extension sends for a document (`eslint.*` settings, resolved).
 * ESLint 10 reads flat config only, so neither `experimental.useFlatConfig` nor `useFlatConfig` is
 * set; `packageManager` picks the global module folder the server falls back to.
 */
export function eslintSettings(workspaceFolder, overrides = {}) {
  return {
    validate: "on",
    packageManager: "npm",
    useESLintClass: false,
    experimental: {},
    codeAction: {
      disableRuleComment: { enable: true, location: "separateLine", commentStyle: "line" },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { enable: false, mode: "all" },
    format: false,
    quiet: false,
    onIgnoredFiles: "off",
    options: {},
    rulesCustomizations: [],
    run: "onType",
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workspaceFolder: { name: path.basename(workspaceFolder), uri: fileUri(workspaceFolder) },
    ...overrides,
  };
}

export class LspClient {
  #child;
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  #pending = new Map();
  #waiters = [];
  #settings;
  /** Every notification the server sent, in order: `{ method, params }`. */
  notifications = [];
  /** Methods of the requests the server sent to us, in order. */
  serverRequests = [];
  /** The `WorkspaceEdit`s the server asked us to apply (quick fixes), in order; all are accepted. */
  appliedEdits = [];
  /** Everything the server wrote to stderr. */
  stderr = "";
  exited = null;

  constructor(child, settings) {
    this.#child = child;
    this.#settings = settings;
    child.stdout.on("data", (chunk) => this.#onData(chunk));
    child.stderr.on("data", (chunk) => {
      this.stderr += chunk.toString("utf8");
    });
    child.on("exit", (code, signal) => {
      this.exited = { code, signal };
      for (const { reject, timer } of this.#pending.values()) {
        clearTimeout(timer);
        reject(new Error(`ESLint language server exited (code ${code}, signal ${signal}).\n${this.stderr}`));
      }
      this.#pending.clear();
    });
  }

  get pid() {
    return this.#child.pid;
  }

  #send(message) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.#child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.#child.stdin.write(body);
  }

  #onData(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const header = this.#buffer.subarray(0, headerEnd).toString("ascii");
      const match = /Content-Length: *(\d+)/i.exec(header);
      if (!match) throw new Error(`LSP header without Content-Length: ${header}`);
      const length = Number(match[1]);
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const body = this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      this.#dispatch(JSON.parse(body));
    }
  }

  #dispatch(message) {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`${pending.method} failed: ${message.error.message}`));
      else pending.resolve(message.result);
    } else if (message.id !== undefined) {
      this.serverRequests.push(message.method);
      this.#send({ id: message.id, result: this.#answer(message) });
    } else {
      this.notifications.push({ method: message.method, params: message.params });
      this.#waiters = this.#waiters.filter((w) => {
        if (w.method !== message.method || !w.predicate(message.params)) return true;
        clearTimeout(w.timer);
        w.resolve(message.params);
        return false;
      });
    }
  }

  #answer(request) {
    if (request.method === "workspace/configuration") return request.params.items.map(() => this.#settings);
    if (request.method === "workspace/applyEdit") {
      this.appliedEdits.push(request.params.edit);
      return { applied: true };
    }
    // client/registerCapability, workspace/diagnostic/refresh, window/workDoneProgress/create and
    // the extension's own eslint/* requests: nothing to do for a headless client.
    return null;
  }

  request(method, params, timeoutMs = 30_000) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.exited) {
        reject(new Error(`ESLint language server is not running.\n${this.stderr}`));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} got no answer within ${timeoutMs} ms.\n${this.stderr}`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, method });
      this.#send({ id, method, params });
    });
  }

  notify(method, params) {
    this.#send({ method, params });
  }

  /** The next notification `method` whose params satisfy `predicate`. */
  waitForNotification(method, predicate = () => true, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const waiter = { method, predicate, resolve };
      waiter.timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${method} notification within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  open(filePath, languageId, text) {
    this.notify("textDocument/didOpen", { textDocument: { uri: fileUri(filePath), languageId, version: 1, text } });
  }

  /** Replace the whole (unsaved) text of an open document. */
  change(filePath, version, text) {
    this.notify("textDocument/didChange", { textDocument: { uri: fileUri(filePath), version }, contentChanges: [{ text }] });
  }

  /** Pull the document's diagnostics, as the ESLint extension does after every change. */
  async diagnostics(filePath, timeoutMs = 30_000) {
    const report = await this.request("textDocument/diagnostic", { textDocument: { uri: fileUri(filePath) } }, timeoutMs);
    if (report?.kind !== "full") throw new Error(`expected a full diagnostic report, got ${JSON.stringify(report)}`);
    return report.items;
  }

  /**
   * Run one of the code actions the server offered (a quick fix): the server answers with a
   * `workspace/applyEdit` request, whose `TextEdit`s for `filePath` are returned.
   */
  async runCodeAction(action, filePath) {
    const before = this.appliedEdits.length;
    await this.request("workspace/executeCommand", { command: action.command.command, arguments: action.command.arguments });
    const uri = fileUri(filePath);
    return this.appliedEdits
      .slice(before)
      .flatMap((edit) => [...(edit.changes?.[uri] ?? []), ...(edit.documentChanges ?? []).filter((c) => c.textDocument?.uri === uri).flatMap((c) => c.edits)]);
  }

  /** Graceful shutdown, then the process is killed if it is still there. */
  async close() {
    if (this.exited) return;
    try {
      await this.request("shutdown", null, 5_000);
      this.notify("exit", null);
    } catch {
      // killed below
    }
    await new Promise((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.#child.kill("SIGKILL");
        resolve();
      }, 2_000);
      this.#child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Start the server on `workspaceFolder` and initialize it as a client without push diagnostics
 * (so the server serves pulls). The server runs in `workspaceFolder` with a clean environment.
 */
export async function startEslintServer(script, workspaceFolder, { settings } = {}) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.ESLINT_USE_FLAT_CONFIG;
  const child = spawn(process.execPath, [script, "--stdio"], { cwd: workspaceFolder, env, stdio: ["pipe", "pipe", "pipe"] });
  const client = new LspClient(child, settings ?? eslintSettings(workspaceFolder));
  try {
    const init = await client.request(
      "initialize",
      {
        processId: process.pid,
        rootUri: fileUri(workspaceFolder),
        workspaceFolders: [{ uri: fileUri(workspaceFolder), name: path.basename(workspaceFolder) }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: false, diagnostics: { refreshSupport: false } },
          textDocument: {
            synchronization: { didSave: true, dynamicRegistration: false },
            diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll.eslint"] } } },
          },
        },
      },
      60_000,
    );
    if (!init?.capabilities?.diagnosticProvider) throw new Error(`the server announced no diagnostic provider: ${JSON.stringify(init)}`);
    client.notify("initialized", {});
    return client;
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/**
 * Turn `dir` into a project as a user has it: an `eslint.config.mjs` with archlint's
 * `recommended` preset, a `package.json` (kept if there is one), and `node_modules/eslint` and
 * `node_modules/eslint-plugin-archlint` linked to the repository's (the plugin's built `dist/`).
 */
export function setUpEditorProject(root, dir) {
  fs.writeFileSync(
    path.join(dir, "eslint.config.mjs"),
    'import archlint from "eslint-plugin-archlint";\n\nexport default [...archlint.configs.recommended];\n',
  );
  const pkg = path.join(dir, "package.json");
  if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, `${JSON.stringify({ name: path.basename(dir), private: true, type: "module" }, null, 2)}\n`);
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  const links = {
    eslint: fs.realpathSync(path.join(root, "node_modules/eslint")),
    "eslint-plugin-archlint": path.join(root, "packages/eslint-plugin"),
  };
  for (const [name, target] of Object.entries(links)) {
    fs.rmSync(path.join(modules, name), { recursive: true, force: true });
    fs.symlinkSync(target, path.join(modules, name), "dir");
  }
}

/** `text` with LSP `TextEdit`s applied (non-overlapping, as a server sends them). */
export function applyTextEdits(text, edits) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  const offset = (p) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const sorted = edits.map((e) => [offset(e.range.start), offset(e.range.end), e.newText]).sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [start, end, newText] of sorted) out = out.slice(0, start) + newText + out.slice(end);
  return out;
}
