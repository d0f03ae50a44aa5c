#!/usr/bin/env node
import nodeModule from "node:module";
import v8 from "node:v8";
import { cacheTypeScriptCompile } from "./compile-cache.js";
import { quickAnswer } from "./usage.js";

// Node 22.1+ keeps V8's compiled code of the modules loaded after this (ESLint, TypeScript) in the
// OS temp folder, so the next run skips compiling them; older Node versions have no such cache,
// and archlint keeps the one of TypeScript's compiler itself (most of the compile, see compile-cache.ts).
const enableCompileCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
if (enableCompileCache) enableCompileCache();
else cacheTypeScriptCompile();

// `--version` and `--help` answer from usage.js alone; only a command loads ESLint and the rest.
const argv = process.argv.slice(2);

// `archlint schema` and `check --staged` are short runs whose wasm (Prisma's validator, the SQL
// parser) runs once: V8's baseline code is enough, and optimising the hot functions in the
// background cost more CPU than it saved (documenso's schema and 164 migrations: 0.78 s -> 0.49 s).
// `schema` skips optimising JavaScript too (0.47 s -> 0.36 s on documenso; +5% on a generated
// 3,000-model schema, still 0.2x prisma-lint's time). Set before any code they concern is
// compiled; the results are the same either way.
if (argv.includes("schema")) v8.setFlagsFromString("--liftoff-only --no-opt");
else if (argv.includes("--staged")) v8.setFlagsFromString("--liftoff-only");
// A whole-project run (check, map) keeps a live heap of 50-300 MB (the project service's program
// when typed) and allocates gigabytes around it. After each full collection V8 lets the heap grow
// to up to 4x what is live, which is most of the peak RSS (a 1,002-file typed check: ~290 MB live,
// ~960 MB peak). Growing by 2x cut that peak by 23% typed and 27-35% syntax-only at 1,000 and
// 5,000 files, at the same CPU time within the noise. `map` grows by 1.5x: its typed run of 3,203
// files peaked at ~2.0 GB with V8's growth, ~1.65 GB with 2x and ~1.13 GB with 1.5x (issue #16's
// goal: under 1.5 GB), for ~8% more CPU than 2x (bench/README.md, "Memory at scale" and "Map").
// Set before the heap is large; the findings are the same either way. A growth given to node
// (`node --heap-growing-percent=N`, `=0` for V8's own) is kept.
const HEAP_GROWING_PERCENT = argv.find((a) => !a.startsWith("-")) === "map" ? 50 : 100;
if (!process.execArgv.some((flag) => /^--heap[-_]growing[-_]percent/.test(flag))) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
const quick = quickAnswer(argv);
if (quick !== null) {
  process.stdout.write(quick);
} else {
  const { main } = await import("./cli.js");
  process.exitCode = await main(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  });
}
