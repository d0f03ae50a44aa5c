import cacheHotReads from "./cache-hot-reads.js";
import cacheInvalidateOnWrite from "./cache-invalidate-on-write.js";
import cacheRequireTtl from "./cache-require-ttl.js";
import dbBoundedReads from "./db-bounded-reads.js";
import dbNoQueryInLoop from "./db-no-query-in-loop.js";
import dbNoUnsafeRaw from "./db-no-unsafe-raw.js";
import dbTransactionForMultiWrite from "./db-transaction-for-multi-write.js";
import dbWhereIndexed from "./db-where-indexed.js";
import effectNoEscapingErrors from "./effect-no-escaping-errors.js";
import effectNoFloating from "./effect-no-floating.js";
import effectNoThrow from "./effect-no-throw.js";
import effectTryPromise from "./effect-try-promise.js";
import effectYieldStar from "./effect-yield-star.js";
import fastifyRequireSchema from "./fastify-require-schema.js";
import prismaExplicitOnDelete from "./prisma-explicit-on-delete.js";
import prismaRedundantIndex from "./prisma-redundant-index.js";
import prismaRelationIndex from "./prisma-relation-index.js";
import sqlFkIndex from "./sql-fk-index.js";
import sqlRlsEnabled from "./sql-rls-enabled.js";
import sqlRlsPolicy from "./sql-rls-policy.js";
import trpcProtectMutations from "./trpc-protect-mutations.js";
import trpcRequireInput from "./trpc-require-input.js";

/**
 * Every rule of the plugin, by id. A test fails when a file in this folder is missing here, or
 * when a rule here has no docs page or test file.
 */
export const rules = {
  "cache-hot-reads": cacheHotReads,
  "cache-invalidate-on-write": cacheInvalidateOnWrite,
  "cache-require-ttl": cacheRequireTtl,
  "db-bounded-reads": dbBoundedReads,
  "db-no-query-in-loop": dbNoQueryInLoop,
  "db-no-unsafe-raw": dbNoUnsafeRaw,
  "db-transaction-for-multi-write": dbTransactionForMultiWrite,
  "db-where-indexed": dbWhereIndexed,
  "effect-no-escaping-errors": effectNoEscapingErrors,
  "effect-no-floating": effectNoFloating,
  "effect-no-throw": effectNoThrow,
  "effect-try-promise": effectTryPromise,
  "effect-yield-star": effectYieldStar,
  "fastify-require-schema": fastifyRequireSchema,
  "prisma-explicit-on-delete": prismaExplicitOnDelete,
  "prisma-redundant-index": prismaRedundantIndex,
  "prisma-relation-index": prismaRelationIndex,
  "sql-fk-index": sqlFkIndex,
  "sql-rls-enabled": sqlRlsEnabled,
  "sql-rls-policy": sqlRlsPolicy,
  "trpc-protect-mutations": trpcProtectMutations,
  "trpc-require-input": trpcRequireInput,
};

export type RuleId = keyof typeof rules;
