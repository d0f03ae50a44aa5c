/**
 * What an HTTP endpoint's methods do to data: "read" when every method only reads (`GET`, `HEAD`),
 * "write" when none of them reads and none is `neutral` (a method that is neither: Fastify's `ALL`,
 * Next.js's `OPTIONS`), else (no method known, or a mix) "unknown".
 */
export function methodsOperation(methods: readonly string[], neutral: string): "read" | "write" | "unknown" {
  if (methods.length === 0) return "unknown";
  if (methods.every((m) => m === "GET" || m === "HEAD")) return "read";
  return methods.every((m) => m !== "GET" && m !== "HEAD" && m !== neutral) ? "write" : "unknown";
}
