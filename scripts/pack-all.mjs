#!/usr/bin/env node
// `pnpm pack:all [--out <dir>] [--no-build]`: one installable tarball per workspace package.
//
// Builds first (`pnpm build`: tsc -b, so only what changed), then runs `pnpm pack` in each
// package. pnpm pack writes the real version in place of `workspace:*` (e.g. eslint-plugin-archlint's
// "@archlint/core": "workspace:*" becomes "0.1.0"); this script checks that in every packed
// package.json, so a tarball that would only install inside this workspace is never produced.
//
// The packages are not on the npm registry, so install all three tarballs in one command (npm
// then takes @archlint/core@0.1.0 from the sibling tarball instead of asking the registry):
//
//   npm i -D eslint ./.tarballs/archlint-core-0.1.0.tgz ./.tarballs/eslint-plugin-archlint-0.1.0.tgz ./.tarballs/archlint-0.1.0.tgz

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
/** In dependency order: core, then the plugin (needs core), then the CLI (needs both). */
const PACKAGES = ["packages/core", "packages/eslint-plugin", "packages/cli"];
const DEP_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"];
const WIN = process.platform === "win32";

function parseArgs(argv) {
  const opts = { out: path.join(ROOT, ".tarballs"), build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") opts.out = path.resolve(argv[++i] ?? fail("--out needs a directory"));
    else if (a.startsWith("--out=")) opts.out = path.resolve(a.slice("--out=".length));
    else if (a === "--no-build") opts.build = false;
    else fail(`unknown argument ${a} (usage: pack-all.mjs [--out <dir>] [--no-build])`);
  }
  return opts;
}

function fail(message) {
  console.error(`pack-all: ${message}`);
  process.exit(1);
}

function run(cmd, args, cwd, capture = false) {
  // pnpm is pnpm.cmd on Windows, which only a shell runs (so quote paths with spaces).
  const argv = WIN ? args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)) : args;
  const r = spawnSync(cmd, argv, {
    cwd,
    encoding: "utf8",
    shell: WIN,
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
  });
  if (r.error) fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} exited with ${r.status} (in ${path.relative(ROOT, cwd) || "."})`);
  return r.stdout;
}

/** The files of a .tgz (ustar, as npm and pnpm write it), as path -> Buffer. */
function readTarball(file) {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const files = new Map();
  let longName = null;
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(str(124, 136).trim() || "0", 8);
    const type = str(156, 157);
    const prefix = str(345, 500);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      if (m) longName = m[1];
    } else if (type === "0" || type === "") {
      files.set(name, body);
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** dist/*.js files with no source file left (a renamed or deleted module): packed, but stale. */
function staleOutputs(pkgDir) {
  const dist = path.join(pkgDir, "dist");
  const stale = [];
  for (const rel of fs.readdirSync(dist, { recursive: true })) {
    const f = String(rel);
    if (!f.endsWith(".js")) continue;
    const base = path.join(pkgDir, "src", f.slice(0, -3));
    if (![".ts", ".mts", ".tsx", ".js", ".mjs"].some((ext) => fs.existsSync(base + ext))) stale.push(`dist/${f.split(path.sep).join("/")}`);
  }
  return stale;
}

const opts = parseArgs(process.argv.slice(2));

if (opts.build) run("pnpm", ["run", "build"], ROOT);

fs.rmSync(opts.out, { recursive: true, force: true });
fs.mkdirSync(opts.out, { recursive: true });

const manifests = PACKAGES.map((dir) => JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8")));
const versions = new Map(manifests.map((m) => [m.name, m.version]));
const tarballs = [];

for (const [i, dir] of PACKAGES.entries()) {
  const pkgDir = path.join(ROOT, dir);
  const manifest = manifests[i];
  if (!fs.existsSync(path.join(pkgDir, "dist"))) fail(`${dir}/dist is missing (build failed?)`);
  for (const f of staleOutputs(pkgDir)) console.warn(`pack-all: warning: ${dir}/${f} has no source file (stale build output; it is packed too)`);

  const json = run("pnpm", ["pack", "--json", "--pack-destination", opts.out], pkgDir, true);
  const start = json.indexOf("{");
  const filename = start >= 0 ? JSON.parse(json.slice(start)).filename : undefined;
  if (!filename || !fs.existsSync(path.resolve(pkgDir, filename))) fail(`pnpm pack in ${dir} printed no tarball:\n${json}`);
  const tarball = path.resolve(pkgDir, filename);

  // The packed manifest: no workspace: ranges, and the sibling packages at their exact versions.
  const files = readTarball(tarball);
  const packedJson = files.get("package/package.json");
  if (!packedJson) fail(`${path.basename(tarball)} has no package/package.json`);
  const packed = JSON.parse(packedJson.toString("utf8"));
  for (const field of DEP_FIELDS) {
    for (const [dep, range] of Object.entries(packed[field] ?? {})) {
      if (String(range).startsWith("workspace:"))
        fail(`${path.basename(tarball)}: ${field}.${dep} is still "${range}"; this pnpm does not rewrite workspace: ranges when packing`);
      if (field !== "devDependencies" && versions.has(dep) && range !== versions.get(dep)) {
        fail(`${path.basename(tarball)}: ${field}.${dep} is "${range}", expected "${versions.get(dep)}" (the workspace's version)`);
      }
    }
  }
  // The entry points are in the tarball.
  const entries = [manifest.main, ...Object.values(manifest.bin ?? {})].filter(Boolean);
  for (const entry of entries) {
    const p = `package/${path.posix.normalize(entry)}`;
    if (!files.has(p)) fail(`${path.basename(tarball)} lacks ${entry} (its main/bin)`);
  }
  tarballs.push(tarball);
  console.log(`pack-all: ${path.relative(process.cwd(), tarball) || tarball} (${files.size} files)`);
}

console.log(`\nIn the project, install all three at once (npm takes @archlint/core from the sibling tarball):\n\n  npm i -D eslint ${tarballs.join(" ")}\n`);
