import type { ArchitectureMap, MapEndpoint } from "@archlint/core";

/**
 * `archlint map --diff <ref>`: what a change does to the architecture, as an architect reviews a
 * pull request: endpoints added and removed, auth or validation dropped, endpoints that became
 * hot, reads added on hot endpoints with no cache in front, writes added to models that some
 * endpoint serves from a cache (which now need invalidating), and findings added or gone. Endpoints
 * are matched by id, findings by rule and what they are attached to (lines move).
 */

export interface ArchitectureChange {
  kind:
    | "endpoint-added"
    | "endpoint-removed"
    | "auth-dropped"
    | "auth-added"
    | "validation-dropped"
    | "validation-added"
    | "became-hot"
    | "uncached-hot-read"
    | "write-to-cached-model"
    | "finding-added"
    | "finding-removed";
  endpoint: string | null;
  /** One sentence, for the Markdown. */
  detail: string;
  /** Whether a reviewer should look twice (a risk), rather than note it. */
  risk: boolean;
}

export interface ArchitectureDiff {
  base: string;
  endpoints: { before: number; after: number };
  changes: ArchitectureChange[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Models some endpoint reads through a cache: a new write to one leaves the cache stale unless it is invalidated. */
function cachedModels(map: ArchitectureMap): Set<string> {
  return new Set(map.endpoints.flatMap((e) => e.reads.filter((r) => r.cache && r.model).map((r) => r.model!)));
}

const readKey = (r: MapEndpoint["reads"][number]): string => `${r.model ?? "(raw SQL)"}.${r.operation}`;

export function diffMaps(before: ArchitectureMap, after: ArchitectureMap, base: string): ArchitectureDiff {
  const changes: ArchitectureChange[] = [];
  const add = (kind: ArchitectureChange["kind"], endpoint: string | null, detail: string, risk: boolean): void => {
    changes.push({ kind, endpoint, detail, risk });
  };
  const old = new Map(before.endpoints.map((e) => [e.id, e]));
  const now = new Map(after.endpoints.map((e) => [e.id, e]));
  const cachedBefore = cachedModels(before);
  const cachedAfter = cachedModels(after);

  for (const e of after.endpoints) {
    const was = old.get(e.id);
    if (!was) {
      const risky = e.auth.access === "public" && (e.operation !== "read" || e.input.validation !== "validated");
      add("endpoint-added", e.id, `${e.name} (${e.kind}, ${e.auth.access}, input ${e.input.validation}${e.hot.hot ? ", hot" : ""})`, risky);
    } else {
      if (was.auth.access === "protected" && e.auth.access === "public") add("auth-dropped", e.id, `${e.name} is now public: ${e.auth.why}`, true);
      if (was.auth.access === "public" && e.auth.access === "protected") add("auth-added", e.id, `${e.name} is now protected: ${e.auth.why}`, false);
      if (was.input.validation === "validated" && e.input.validation !== "validated")
        add("validation-dropped", e.id, `${e.name} no longer validates its input: ${e.input.how}`, true);
      if (was.input.validation !== "validated" && e.input.validation === "validated")
        add("validation-added", e.id, `${e.name} now validates its input: ${e.input.how}`, false);
      if (!was.hot.hot && e.hot.hot) add("became-hot", e.id, `${e.name} is now hot: ${e.hot.why}`, false);
    }
    if (e.hot.hot) {
      const known = new Set((was?.reads ?? []).filter((r) => !r.cache).map(readKey));
      for (const r of e.reads)
        if (!r.cache && !known.has(readKey(r))) {
          known.add(readKey(r));
          add("uncached-hot-read", e.id, `${e.name} (hot: ${e.hot.why}) reads ${readKey(r)} in ${r.service} with no cache in front`, true);
        }
    }
    const wrote = new Set((was?.writes ?? []).map((w) => w.model));
    for (const w of e.writes) {
      if (!w.model || wrote.has(w.model) || !(cachedAfter.has(w.model) || cachedBefore.has(w.model))) continue;
      wrote.add(w.model);
      add("write-to-cached-model", e.id, `${e.name} now writes ${w.model} (${w.operation} in ${w.service}), which an endpoint serves from a cache`, true);
    }
  }
  for (const e of before.endpoints) if (!now.has(e.id)) add("endpoint-removed", e.id, `${e.name} (${e.kind}, ${e.auth.access})`, false);

  // Findings by rule and owner, counted: a finding that moved lines is not new.
  const tally = (map: ArchitectureMap): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const f of map.findings) {
      const key = `${f.rule}\0${f.attachedTo ? `${f.attachedTo.kind} ${f.attachedTo.id}` : f.location.file}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const was = tally(before);
  const is = tally(after);
  for (const key of new Set([...was.keys(), ...is.keys()])) {
    const [rule, owner] = key.split("\0") as [string, string];
    const delta = (is.get(key) ?? 0) - (was.get(key) ?? 0);
    const endpoint = owner.startsWith("endpoint ") ? owner.slice("endpoint ".length) : null;
    for (let i = 0; i < Math.abs(delta); i++) {
      if (delta > 0) add("finding-added", endpoint, `${rule} on ${owner}`, true);
      else add("finding-removed", endpoint, `${rule} on ${owner}`, false);
    }
  }
  const order = (c: ArchitectureChange): string => `${c.risk ? 0 : 1}\0${c.kind}\0${c.endpoint ?? ""}\0${c.detail}`;
  changes.sort((a, b) => compare(order(a), order(b)));
  return { base, endpoints: { before: before.endpoints.length, after: after.endpoints.length }, changes };
}

const TITLES: Record<ArchitectureChange["kind"], string> = {
  "auth-dropped": "Auth dropped",
  "validation-dropped": "Input validation dropped",
  "uncached-hot-read": "New uncached reads on hot endpoints",
  "write-to-cached-model": "New writes to cached models",
  "finding-added": "New findings",
  "endpoint-added": "Endpoints added",
  "endpoint-removed": "Endpoints removed",
  "auth-added": "Auth added",
  "validation-added": "Input validation added",
  "became-hot": "Endpoints that became hot",
  "finding-removed": "Findings fixed",
};

/** The diff as a pull-request comment: risks first, one section per kind of change. */
export function diffMarkdown(diff: ArchitectureDiff): string {
  const lines = [`### Architecture changes against \`${diff.base}\``, ""];
  lines.push(`Endpoints: ${diff.endpoints.before} -> ${diff.endpoints.after}.`, "");
  if (diff.changes.length === 0) {
    lines.push("No change to endpoints, auth, validation, hot reads, cached models or findings.");
    return `${lines.join("\n")}\n`;
  }
  const kinds = [...new Set(diff.changes.map((c) => c.kind))];
  for (const kind of kinds) {
    const list = diff.changes.filter((c) => c.kind === kind);
    lines.push(`#### ${list[0]!.risk ? "⚠️ " : ""}${TITLES[kind]} (${list.length})`, "");
    for (const c of list) lines.push(`- ${c.detail}`);
    lines.push("");
  }
  return lines.join("\n");
}
