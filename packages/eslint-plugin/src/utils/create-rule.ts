// The eslint-utils entry only: the package root also loads typescript-estree (~90 ms).
import { RuleCreator } from "@typescript-eslint/utils/eslint-utils";
import { lintingFile } from "@archlint/core";
import { z } from "zod";

export const DOCS_BASE_URL = "https://github.com/archlint/archlint/blob/main/rules-docs";

export function docsUrl(ruleName: string): string {
  return `${DOCS_BASE_URL}/${ruleName}.md`;
}

export interface ArchlintDocs {
  description: string;
  /** Which presets enable the rule. */
  recommended: "recommended" | "strict" | "all";
  requiresTypeChecking?: boolean;
  /**
   * Options the `strict` and `all` presets give the rule (validated against its schema by a test);
   * the other presets use the rule's defaults.
   */
  strictOptions?: Record<string, unknown>;
  /** Which of the four headline findings the rule belongs to, if any. */
  headline?: "missing-zod-inputs" | "unindexed-relations" | "uncached-hot-queries" | "effect-errors-escape";
}

const creator = RuleCreator<ArchlintDocs>(docsUrl);

/**
 * The creator for rules on TypeScript/JavaScript files. A rule starting on a file tells core which
 * file the reads that follow are for (`archlint check --cache` keys each file's result on them).
 */
export const createRule = (<Options extends readonly unknown[], MessageIds extends string>(rule: Parameters<typeof creator<Options, MessageIds>>[0]) =>
  creator<Options, MessageIds>({
    ...rule,
    create(context, options) {
      lintingFile(context.physicalFilename, context.sourceCode);
      return rule.create(context, options);
    },
  })) as typeof creator;

/**
 * Options are declared once as a zod schema: ESLint validates them with the JSON Schema generated
 * from it, and rules read them through `parseOptions`, so defaults always apply. Each option's
 * `.describe()` text becomes its `description` in the JSON Schema (a test requires one).
 */
export function optionsJsonSchema(schema: z.ZodType): [Record<string, unknown>] {
  // Generated when ESLint first reads it (zod's conversion is about 180 ms for all rules): a run
  // that configures only some rules, such as `archlint schema`, converts only theirs.
  let json: Record<string, unknown> | undefined;
  const lazy: Record<string, unknown>[] = [];
  Object.defineProperty(lazy, 0, {
    enumerable: true,
    get: () => {
      if (!json) {
        json = z.toJSONSchema(schema, { target: "draft-7", io: "input" }) as Record<string, unknown>;
        delete json.$schema;
      }
      return json;
    },
  });
  return lazy as [Record<string, unknown>];
}

/** Parsed options by schema and JSON: every file's rule context gets a fresh copy of the same options. */
const parsed = new WeakMap<z.ZodType, Map<string, unknown>>();

export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  let bySchema = parsed.get(schema);
  if (!bySchema) parsed.set(schema, (bySchema = new Map()));
  const key = JSON.stringify(raw ?? {});
  if (bySchema.has(key)) return bySchema.get(key) as z.output<T>;
  const result = schema.safeParse(raw ?? {});
  // ESLint has validated the options against the same schema already; the defaults are a last resort.
  const value = result.success ? result.data : schema.parse({});
  bySchema.set(key, value);
  return value;
}
