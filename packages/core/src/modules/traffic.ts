import fs from "node:fs";
import { rethrowUnlessMissing, rethrowUnlessMissingOrMalformed } from "../fs-probe.js";
import { noteFileRead } from "../reads.js";

/**
 * A traffic file maps handlers (tRPC procedure paths, `GET /v1/posts/:id`) to requests per
 * second, as a team exports it from its monitoring: `{ "post.byId": 120, ... }` or
 * `[{ "handler": "post.byId", "rps": 120 }, ...]`. Read once per (path, mtime); a missing or
 * malformed file reads as empty (the `hotPaths` setting itself is validated up front).
 */

const cache = new Map<string, { mtimeMs: number; traffic: Map<string, number> }>();

export function readTrafficFile(file: string): Map<string, number> {
  let mtimeMs: number;
  noteFileRead(file);
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (error) {
    rethrowUnlessMissing(error);
    return new Map();
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.traffic;
  const traffic = new Map<string, number>();
  try {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (Array.isArray(data)) {
      for (const row of data as Array<{ handler?: unknown; rps?: unknown }>) {
        if (typeof row?.handler === "string" && typeof row.rps === "number") traffic.set(row.handler, row.rps);
      }
    } else if (data && typeof data === "object") {
      for (const [k, v] of Object.entries(data)) if (typeof v === "number") traffic.set(k, v);
    }
  } catch (error) {
    rethrowUnlessMissingOrMalformed(error);
    // malformed: no handler is hot through it
  }
  cache.set(file, { mtimeMs, traffic });
  return traffic;
}
