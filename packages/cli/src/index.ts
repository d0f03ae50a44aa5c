export { main, UsageError, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE } from "./cli.js";
export { formatSarif } from "./formatters/sarif.js";
export { formatGithub } from "./formatters/github.js";
