#!/usr/bin/env node
import { quickAnswer } from "./usage.js";

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
