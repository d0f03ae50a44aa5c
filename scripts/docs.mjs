/**
 * Docs generated from rule meta: the rule table of rules-docs/README.md and of the root README
 * (between markers). `pnpm docs:generate` writes them; tests/docs.test.ts recomputes and compares.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const START = "<!-- begin generated rule table: pnpm docs:generate -->";
export const END = "<!-- end generated rule table -->";

const HEADLINES = {
  "missing-zod-inputs": "missing Zod inputs",
  "unindexed-relations": "unindexed relations",
  "uncached-hot-queries": "uncached hot queries",
  "effect-errors-escape": "Effect errors that escape",
};

export function ruleTable(rules, linkPrefix) {
  const rows = Object.entries(rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, rule]) => {
      const d = rule.meta.docs;
      const languages = rule.meta.languages ?? [];
      const files = languages.includes("archlint/prisma") ? ".prisma" : languages.includes("archlint/sql") ? ".sql migrations" : "TS/JS";
      return `| [\`${id}\`](${linkPrefix}${id}.md) | ${d.description} | ${files} | ${d.recommended} | ${d.requiresTypeChecking ? "yes" : "no"} | ${rule.meta.fixable ? "fix" : rule.meta.hasSuggestions ? "suggestion" : "-"} | ${d.headline ? HEADLINES[d.headline] : "-"} |`;
    });
  return ["| rule | what it reports | files | preset | types | fix | headline finding |", "|---|---|---|---|---|---|---|", ...rows].join("\n");
}

export function replaceBetweenMarkers(text, table) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error("generated rule table markers not found");
  return `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
}

export function expectedDocs(rules) {
  const readme = path.join(ROOT, "README.md");
  const index = path.join(ROOT, "rules-docs", "README.md");
  return [
    [readme, replaceBetweenMarkers(fs.readFileSync(readme, "utf8"), ruleTable(rules, "rules-docs/"))],
    [index, replaceBetweenMarkers(fs.readFileSync(index, "utf8"), ruleTable(rules, "./"))],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { default: plugin } = await import(path.join(ROOT, "packages/eslint-plugin/dist/index.js"));
  for (const [file, text] of expectedDocs(plugin.rules)) {
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
}
