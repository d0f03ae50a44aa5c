import { z } from "zod";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { createSqlRule } from "../utils/sql-rule.js";
import { historyFor, qualifiedName, tableFilter, tablesWithoutPolicy, writeAllPolicies } from "../analysis/libraries/sql-migrations.js";

const optionsSchema = z
  .object({
    ignoreTables: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Tables not checked (`name` in any schema, or `schema.name`), e.g. server-only tables kept locked with row level security and no policy on purpose.",
      ),
    requirePolicy: z
      .boolean()
      .default(false)
      .describe(
        "Also report a table whose row level security is on with no policy at all (reported at the ENABLE). Off by default: that is how Supabase projects keep a table server-only (only service_role reaches it); the strict preset turns it on.",
      ),
    roles: z
      .array(z.string().min(1))
      .default(["anon", "authenticated", "public"])
      .describe("Roles for which a policy that lets them write any row is reported (`public` is every role, and what a policy without `TO` applies to)."),
  })
  .strict();

const WHO: Record<string, string> = {
  anon: "anyone holding the project's public anon key",
  public: "every role (anyone holding the public anon key too)",
  authenticated: "any signed-in user",
};

const VERB: Record<string, string> = {
  insert: "insert any row",
  update: "change any row",
  delete: "delete any row",
  all: "read, insert, change and delete any row",
};

export default createSqlRule<"noPolicy" | "writeAll">({
  name: "sql-rls-policy",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow row level security policies that let anon or authenticated users write any row (and, with requirePolicy, tables with no policy)",
      recommended: "recommended",
      strictOptions: { requirePolicy: true },
    },
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      noPolicy:
        "Row level security is enabled on `{{table}}` but no migration creates a policy for it: every read through the Data API returns no rows and every write fails, for every role but the table owner and service_role. Add `create policy ... on {{table}}` for the access clients need (or list it in `ignoreTables` if it is server-only on purpose).",
      writeAll:
        "Policy `{{policy}}` on `{{table}}` gives {{roles}} `{{command}}` with `{{clause}} (true)`: {{who}} can {{verb}}. Make `{{clause}}` check the row (`{{clause}} (auth.uid() = user_id)`), or leave the write to `service_role`.",
    },
  },
  create(context) {
    const options = parseOptions(optionsSchema, context.options[0]);
    const kept = tableFilter(options.ignoreTables);
    const roles = new Set(options.roles);
    return {
      Program(program) {
        const found = historyFor(context, program);
        if (!found) return;
        const withoutPolicy = options.requirePolicy ? tablesWithoutPolicy(found.history, found.exposed, found.file) : [];
        for (const table of withoutPolicy) {
          if (kept(table)) context.report({ loc: table.rowSecurity.site!.loc, messageId: "noPolicy", data: { table: qualifiedName(table) } });
        }
        for (const { table, policy, roles: open } of writeAllPolicies(found.history, found.exposed, roles, found.file)) {
          if (!kept(table)) continue;
          const widest = open.includes("public") ? "public" : open.includes("anon") ? "anon" : open[0]!;
          context.report({
            loc: policy.site.loc,
            messageId: "writeAll",
            data: {
              policy: policy.name,
              table: qualifiedName(table),
              clause: policy.withCheck === "true" ? "with check" : "using",
              command: policy.command,
              roles: open.map((r) => `\`${r}\``).join(", "),
              who: WHO[widest] ?? `any session as \`${widest}\``,
              verb: VERB[policy.command]!,
            },
          });
        }
      },
    };
  },
});
