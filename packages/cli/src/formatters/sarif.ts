import path from "node:path";
import { pathToFileURL } from "node:url";
import type { LintResult, RuleMetaLike } from "./types.js";

/**
 * SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it: one run, the rules that
 * produced findings with their help URIs, and each finding with its region (1-based columns).
 * Parse errors are reported as notifications-like results without a rule. What the run chose
 * (zero-config's preset and schema, files linted without types) is in the invocation's notes.
 */
export function formatSarif(
  results: LintResult[],
  cwd: string,
  rulesMeta: Record<string, RuleMetaLike | undefined>,
  toolVersion: string,
  notes: string[] = [],
): string {
  const ruleIds = [...new Set(results.flatMap((r) => r.messages.map((m) => m.ruleId ?? "parse-error")))].sort();
  const rules = ruleIds.map((id) => {
    const meta = rulesMeta[id];
    const rule: Record<string, unknown> = {
      id,
      shortDescription: { text: meta?.docs?.description ?? (id === "parse-error" ? "The file could not be parsed or validated." : id) },
    };
    if (meta?.docs?.url) rule.helpUri = meta.docs.url;
    if (meta?.docs?.description) rule.fullDescription = { text: meta.docs.description };
    return rule;
  });
  const sarifResults = results.flatMap((result) => {
    const uri = path.relative(cwd, result.filePath).split(path.sep).join("/");
    return result.messages.map((m) => {
      const id = m.ruleId ?? "parse-error";
      const region: Record<string, number> = {};
      if (m.line !== undefined) region.startLine = m.line;
      if (m.column !== undefined) region.startColumn = m.column;
      if (m.endLine !== undefined) region.endLine = m.endLine;
      if (m.endColumn !== undefined) region.endColumn = m.endColumn;
      return {
        ruleId: id,
        ruleIndex: ruleIds.indexOf(id),
        level: m.severity === 2 ? "error" : "warning",
        message: { text: m.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: "%SRCROOT%" },
              ...(region.startLine !== undefined ? { region } : {}),
            },
          },
        ],
      };
    });
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "archlint",
            version: toolVersion,
            informationUri: "https://github.com/archlint/archlint",
            rules,
          },
        },
        ...(notes.length > 0
          ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notes.map((text) => ({ level: "note", message: { text } })) }] }
          : {}),
        originalUriBaseIds: { "%SRCROOT%": { uri: `${pathToFileURL(cwd).href}/` } },
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
