import cacheHotReads from "./cache-hot-reads.js";
import fastifyRequireSchema from "./fastify-require-schema.js";
import prismaRelationIndex from "./prisma-relation-index.js";
import trpcRequireInput from "./trpc-require-input.js";

/**
 * Every rule of the plugin, by id. A test fails when a file in this folder is missing here, or
 * when a rule here has no docs page or test file.
 */
export const rules = {
  "cache-hot-reads": cacheHotReads,
  "fastify-require-schema": fastifyRequireSchema,
  "prisma-relation-index": prismaRelationIndex,
  "trpc-require-input": trpcRequireInput,
};

export type RuleId = keyof typeof rules;
