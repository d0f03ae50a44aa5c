/**
 * `pnpm install` runs this (root `postinstall`): it gives fixtures/demo-app the dependencies its
 * code imports, as links to the copies the plugin's tests install (effect 3 through the `effect3`
 * alias, @trpc/server, zod, fastify, ioredis, @types/node), so the demo type-checks without a
 * download and `pnpm demo` shows the type-aware rules too. @prisma/client is left out: it needs
 * `prisma generate`, and an unresolved client is typed `any`, which every rule handles.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "packages", "eslint-plugin", "node_modules");
const to = path.join(root, "fixtures", "demo-app", "node_modules");
const links = {
  effect: path.join(from, "effect3"),
  "@trpc/server": path.join(from, "@trpc", "server"),
  zod: path.join(from, "zod"),
  fastify: path.join(from, "fastify"),
  ioredis: path.join(from, "ioredis"),
  "@types/node": path.join(root, "node_modules", "@types", "node"),
};
for (const [name, target] of Object.entries(links)) {
  const link = path.join(to, name);
  if (!fs.existsSync(target)) {
    process.stderr.write(`link-demo-deps: ${path.relative(root, target)} is missing; the demo's ${name} stays unresolved\n`);
    continue;
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(path.relative(path.dirname(link), fs.realpathSync(target)), link, "dir");
}
