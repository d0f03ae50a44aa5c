#!/usr/bin/env node
/**
 * Precision of archlint on real code: runs `archlint check` (the built CLI, zero-config) on each
 * pinned repository of repos.json, matches the findings with the verdicts in verdicts.json
 * (reviewed by reading the code), and prints per rule: findings, reviewed, true, false, debatable
 * and precision (true / (true + false)).
 *
 * A repository's code is taken from `.repos/<name>` (gitignored); when it is missing it is
 * extracted from the `fetch` tool's mirror (/work/.mirror/<owner>+<name>/repo) at the pinned
 * commit, or skipped with a note. Findings are keyed by rule, file and the text of the reported
 * line (plus an occurrence number), so verdicts survive unrelated line shifts.
 *
 * A repository with an `install` command in repos.json (its package manager's install, e.g.
 * `pnpm install --frozen-lockfile --ignore-scripts`) is extracted with its lockfile and patches
 * too, and with `--type-check` its dependencies are installed once into `.repos/<name>` (stamped
 * with the commit and the command) so the type-aware rules see real types. Installs come from the
 * registry with lifecycle scripts off: the project's own code and scripts never run.
 *
 * `--rules <prefix>` runs only the archlint rules whose id starts with it (`--rules effect-`), through
 * an ESLint config written next to `.repos`: a quick re-run of one family on a large monorepo. Its
 * findings carry the same keys; the other rules' verdicts are left out of that run's counts.
 *
 * `--rules` takes prefixes separated by commas (`--rules db-no,effect-`); `--no-prepass` is passed
 * to archlint check (the pre-pass's identity: `--list` output with and without must be the same).
 *
 *   node bench/precision/run.mjs [--repo name] [--type-check] [--rules prefix[,prefix]] [--paths a,b] [--list] [--unreviewed N] [--gone] [--no-prepass]
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
// ARCHLINT_ROOT: another checkout's build (e.g. main, for before/after numbers of a change).
const ROOT = process.env.ARCHLINT_ROOT ?? path.resolve(HERE, "../..");
const BIN = path.join(ROOT, "packages/cli/dist/bin.js");
const REPOS_DIR = path.join(HERE, ".repos");
const MIRRORS = process.env.ARCHLINT_MIRRORS ?? "/work/.mirror";
// Only what archlint reads (snapshots lack large binary files, so a whole-tree archive can fail).
const wanted = /(?:\.(?:[cm]?[jt]s|[jt]sx|prisma|sql)|(?:^|\/)(?:package\.json|tsconfig[^/]*\.json|pnpm-workspace\.yaml|migration_lock\.toml|config\.toml))$/;
// What a package manager needs to install a repository's dependencies as its lockfile pins them.
const lockfiles = /(?:^|\/)(?:pnpm-lock\.yaml|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|\.yarnrc\.yml|patches\/[^/]+\.patch)$/;
const wantedBy = (repo) => (repo.install ? (f) => wanted.test(f) || lockfiles.test(f) : (f) => wanted.test(f));
/** What an extraction is stamped with: a change to the commit or to what is extracted extracts again. */
const stampOf = (repo) => `${repo.commit}\n${wanted.source}\n${repo.install ? `${lockfiles.source}\n` : ""}`;

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const { repos } = JSON.parse(fs.readFileSync(path.join(HERE, "repos.json"), "utf8"));
const verdictsFile = path.join(HERE, "verdicts.json");
const verdicts = fs.existsSync(verdictsFile) ? JSON.parse(fs.readFileSync(verdictsFile, "utf8")) : {};

function checkout(repo) {
  const dir = path.join(REPOS_DIR, repo.name);
  if (fs.existsSync(path.join(dir, ".archlint-commit")) && fs.readFileSync(path.join(dir, ".archlint-commit"), "utf8") === stampOf(repo)) return dir;
  const gitDir = path.join(MIRRORS, repo.repo.replace("/", "+"), "repo");
  if (!fs.existsSync(gitDir)) return null;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const listed = spawnSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "--name-only", repo.commit], { encoding: "utf8", maxBuffer: 2 ** 30 });
  const isWanted = wantedBy(repo);
  const files = listed.stdout.split("\n").filter((f) => isWanted(f) && !f.split("/").includes("node_modules"));
  for (let i = 0; i < files.length; i += 1000) {
    const archive = spawnSync("git", ["--git-dir", gitDir, "archive", repo.commit, "--", ...files.slice(i, i + 1000).map((f) => `:(literal)${f}`)], {
      maxBuffer: 2 ** 31,
    });
    if (archive.status !== 0) throw new Error(`git archive ${repo.repo}@${repo.commit} failed: ${archive.stderr}`);
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`tar failed for ${repo.name}`);
  }
  fs.writeFileSync(path.join(dir, ".archlint-commit"), stampOf(repo));
  return dir;
}

/**
 * Installs a repository's dependencies (its `install` command, run once per commit and command):
 * lifecycle scripts off whatever the command says, CI mode so nothing prompts.
 */
function install(repo, dir) {
  const stampFile = path.join(dir, ".archlint-install");
  const stamp = `${repo.commit}\n${repo.install}\n`;
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return;
  console.log(`${repo.name}: installing dependencies (${repo.install})`);
  const env = { ...process.env, CI: "1", npm_config_ignore_scripts: "true", npm_config_yes: "true" };
  const r = spawnSync(repo.install, { cwd: dir, shell: true, env, encoding: "utf8", maxBuffer: 2 ** 30 });
  if (r.status !== 0)
    throw new Error(`${repo.name}: \`${repo.install}\` exited ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").slice(-5).join("\n")}`);
  fs.writeFileSync(stampFile, stamp);
}

/** Stable key of a finding: repo, rule, file, the reported line's text, and its occurrence number. */
function keyOf(repoName, file, rule, lineText, n) {
  const text = crypto.createHash("sha1").update(lineText.trim()).digest("hex").slice(0, 10);
  return `${repoName}|${rule}|${file}|${text}|${n}`;
}

/**
 * An ESLint config enabling only the archlint rules whose id starts with `prefix`, type-aware with
 * `--type-check` (typescript-eslint's project service, rooted at the repository).
 */
function rulesConfig(prefix, dir) {
  const plugin = path.join(ROOT, "packages/eslint-plugin/dist/index.js");
  const file = path.join(REPOS_DIR, `.archlint-rules-${path.basename(dir)}.mjs`);
  const typed = flag("--type-check") ? `parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(fs.realpathSync(dir))} },` : "";
  fs.writeFileSync(
    file,
    `import { createRequire } from "node:module";
import archlint from ${JSON.stringify(plugin)};
const parser = createRequire(${JSON.stringify(plugin)})("@typescript-eslint/parser");
const ids = Object.keys(archlint.rules).filter((id) => ${JSON.stringify(prefix.split(","))}.some((p) => id.startsWith(p)) && (${flag("--type-check")} || !archlint.rules[id].meta.docs?.requiresTypeChecking));
// Rules of archlint's own languages go to their files, as the presets put them.
const languageOf = (id) => (archlint.rules[id].meta.languages ?? []).find((l) => l === "archlint/prisma" || l === "archlint/sql") ?? null;
const of = (language) => Object.fromEntries(ids.filter((id) => languageOf(id) === language).map((id) => ["archlint/" + id, "error"]));
export default [
  { ignores: ["**/node_modules/**", "**/dist/**", "**/build/**", "**/.next/**", "**/coverage/**", "**/.turbo/**"] },
  { files: ["**/*.{ts,tsx,mts,cts}"], plugins: { archlint }, languageOptions: { parser, sourceType: "module", ${typed} }, rules: of(null) },
  { files: ["**/*.prisma"], plugins: { archlint }, language: "archlint/prisma", rules: of("archlint/prisma") },
  { files: ["**/migrations/**/*.sql"], plugins: { archlint }, language: "archlint/sql", rules: of("archlint/sql") },
];
`,
  );
  return file;
}

function findingsOf(repo, dir) {
  const only = value("--rules");
  // `--paths a,b`: only these folders of the repository (keys stay relative to its root).
  const paths = value("--paths")?.split(",") ?? [];
  const cli = [
    BIN,
    "check",
    ...paths,
    "--format",
    "json",
    ...(only ? ["--config", rulesConfig(only, dir)] : flag("--type-check") ? [] : ["--no-type-check"]),
    ...(flag("--no-prepass") ? ["--no-prepass"] : []),
  ];
  // A type-aware run on a large monorepo holds one TypeScript program per tsconfig: past Node's
  // default heap it crawls in garbage collection.
  const heap = flag("--type-check") ? ["--max-old-space-size=6144"] : [];
  const r = spawnSync(process.execPath, [...heap, ...cli], { cwd: dir, encoding: "utf8", maxBuffer: 2 ** 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${repo.name}: archlint exited ${r.status}: ${r.stderr.trim().split("\n")[0]}`);
  const out = [];
  const seen = new Map();
  // archlint reports real paths: with `.repos` (or a repository in it) a symlink, keys must still be relative to the repository.
  const root = fs.realpathSync(dir);
  for (const result of JSON.parse(r.stdout)) {
    const file = path.relative(root, result.filePath).split(path.sep).join("/");
    const lines = fs.readFileSync(result.filePath, "utf8").split(/\r\n|\r|\n/);
    for (const m of result.messages) {
      if (!m.ruleId) continue;
      const lineText = lines[m.line - 1] ?? "";
      const base = `${repo.name}|${m.ruleId}|${file}|${lineText.trim()}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      out.push({ key: keyOf(repo.name, file, m.ruleId, lineText, n), rule: m.ruleId, file, line: m.line, column: m.column, message: m.message });
    }
  }
  return { findings: out, note: r.stderr.trim() };
}

const only = value("--repo");
const table = new Map();
const unreviewed = [];
const seenKeys = [];
const ranRepos = new Set();
for (const repo of repos) {
  if (only && repo.name !== only) continue;
  const dir = checkout(repo);
  if (!dir) {
    console.log(`${repo.name}: skipped (no .repos/${repo.name} and no mirror of ${repo.repo}; bring it with the fetch tool)`);
    continue;
  }
  if (repo.install && flag("--type-check")) install(repo, dir);
  const { findings, note } = findingsOf(repo, dir);
  ranRepos.add(repo.name);
  seenKeys.push(...findings.map((f) => f.key));
  console.log(
    `${repo.name}: ${findings.length} findings  [${note
      .split("\n")
      .filter((l) => l.includes("zero-config"))
      .join("")}]`,
  );
  for (const f of findings) {
    const row = table.get(f.rule) ?? { findings: 0, tp: 0, fp: 0, debatable: 0 };
    row.findings++;
    const v = verdicts[f.key]?.verdict;
    if (v === "tp") row.tp++;
    else if (v === "fp") row.fp++;
    else if (v === "debatable") row.debatable++;
    else unreviewed.push(f);
    table.set(f.rule, row);
    if (flag("--list")) console.log(`  ${f.rule} ${f.file}:${f.line}:${f.column} ${v ?? "-"}  ${f.key}`);
  }
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad("rule", 40)}${pad("findings", 10)}${pad("reviewed", 10)}${pad("true", 6)}${pad("false", 7)}${pad("debatable", 11)}precision`);
for (const [rule, r] of [...table].sort()) {
  const reviewed = r.tp + r.fp + r.debatable;
  const precision = r.tp + r.fp > 0 ? `${Math.round((100 * r.tp) / (r.tp + r.fp))}%` : "-";
  console.log(`${pad(rule, 40)}${pad(r.findings, 10)}${pad(reviewed, 10)}${pad(r.tp, 6)}${pad(r.fp, 7)}${pad(r.debatable, 11)}${precision}`);
}
// Reviewed findings archlint no longer reports: a fixed false positive, or a lost true one.
const current = new Set(seenKeys);
const gone = Object.entries(verdicts).filter(([k]) => ranRepos.has(k.split("|")[0]) && !current.has(k));
const byVerdict = (v) => gone.filter(([, x]) => x.verdict === v).length;
console.log(`\nverdicts: ${Object.keys(verdicts).length} kept; unreviewed findings: ${unreviewed.length}`);
console.log(`reviewed findings no longer reported: ${gone.length} (true: ${byVerdict("tp")}, false: ${byVerdict("fp")}, debatable: ${byVerdict("debatable")})`);
if (flag("--gone")) for (const [k, v] of gone) console.log(`  ${v.verdict}  ${k}  ${v.note}`);
const sample = Number(value("--unreviewed") ?? 0);
for (const f of unreviewed.slice(0, sample)) console.log(`  ${f.key}\n    ${f.file}:${f.line}:${f.column} ${f.message}`);
