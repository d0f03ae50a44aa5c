import path from "node:path";
import type { LintResult } from "./types.js";

/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`): each finding becomes an
 * annotation on the pull request's diff. Escaping follows the runner's rules for data and
 * properties.
 */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(results: LintResult[], cwd: string): string {
  const lines: string[] = [];
  for (const result of results) {
    const file = path.relative(cwd, result.filePath).split(path.sep).join("/");
    for (const m of result.messages) {
      const level = m.severity === 2 ? "error" : "warning";
      const props = [`file=${escapeProperty(file)}`];
      if (m.line !== undefined) props.push(`line=${m.line}`);
      if (m.column !== undefined) props.push(`col=${m.column}`);
      if (m.endLine !== undefined) props.push(`endLine=${m.endLine}`);
      if (m.endColumn !== undefined) props.push(`endColumn=${m.endColumn}`);
      props.push(`title=${escapeProperty(m.ruleId ?? (m.fatal ? "Parsing error" : "archlint"))}`);
      lines.push(`::${level} ${props.join(",")}::${escapeData(m.message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
