#!/usr/bin/env node
import nodeModule from "node:module";
import { quickAnswer } from "./usage.js";

// Node 22.1+ keeps V8's compiled code of the modules loaded after this (ESLint, TypeScript) in the
// OS temp folder, so the next run skips compiling them; older Node versions have no such cache.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// `--version` and `--help` answer from usage.js alone; only a command loads ESLint and the rest.
const argv = process.argv.slice(2);
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
