import type { ArchitectureMap, MapAccess, MapCache } from "@archlint/core";

/**
 * The map as a Mermaid flowchart, left to right: endpoints (stadiums: name, kind, auth, input,
 * hot) -> the services their handlers call (rectangles: name and file) -> models (cylinders).
 * An inline handler is drawn as its endpoint. Edges say `read`, `write` or `read/write`, and name
 * the cache in front; findings are red hexagons joined to what they concern by a dotted line.
 * Node ids are positional (`e0`, `s0`, `m0`, `f0`) over the map's sorted lists, so the text is as
 * stable as the JSON.
 */
export function toMermaid(map: ArchitectureMap): string {
  const lines: string[] = ["flowchart LR"];
  const ids = new Map<string, string>();
  const serviceById = new Map(map.services.map((s) => [s.id, s]));
  // An inline handler is its endpoint's node.
  const folded = new Map<string, string>();
  map.endpoints.forEach((e, i) => {
    const id = `e${i}`;
    ids.set(`endpoint:${e.id}`, id);
    if (e.handler && serviceById.get(e.handler)?.handler) folded.set(e.handler, id);
  });
  map.services.forEach((s, i) => {
    if (!folded.has(s.id)) ids.set(`service:${s.id}`, `s${i}`);
  });
  map.models.forEach((m, i) => ids.set(`model:${m.name}`, `m${i}`));
  const serviceNode = (id: string): string | undefined => folded.get(id) ?? ids.get(`service:${id}`);
  const modelNode = (name: string): string => {
    let id = ids.get(`model:${name}`);
    if (!id) {
      id = `m${ids.size}`;
      ids.set(`model:${name}`, id);
      lines.push(`  ${id}[("${label(name)}")]`);
      lines.push(`  class ${id} model`);
    }
    return id;
  };

  map.endpoints.forEach((e, i) => {
    const facts = [e.kind, e.auth.access, e.input.validation === "validated" ? "validated" : `input ${e.input.validation}`, ...(e.hot.hot ? ["hot"] : [])];
    lines.push(`  e${i}(["${label(e.name)}<br/><small>${label(facts.join(" · "))}</small>"])`);
    const classes = ["endpoint", ...(e.hot.hot ? ["hot"] : []), ...(e.auth.access === "public" && e.operation === "write" ? ["open"] : [])];
    lines.push(`  class e${i} ${classes.join(",")}`);
  });
  map.services.forEach((s, i) => {
    if (folded.has(s.id)) return;
    lines.push(`  s${i}["${label(s.name)}<br/><small>${label(s.location.file)}</small>"]`);
    lines.push(`  class s${i} service`);
  });
  map.models.forEach((m, i) => {
    lines.push(`  m${i}[("${label(m.name)}")]`);
    lines.push(`  class m${i} model`);
  });

  const edges = new Set<string>();
  const edge = (from: string, to: string, text: string | null): void => {
    edges.add(text ? `  ${from} -- "${label(text)}" --> ${to}` : `  ${from} --> ${to}`);
  };
  for (const e of map.endpoints) {
    const from = ids.get(`endpoint:${e.id}`)!;
    if (e.handler && !folded.has(e.handler)) {
      const to = serviceNode(e.handler);
      if (to) edge(from, to, null);
    }
  }
  for (const s of map.services) {
    const from = serviceNode(s.id);
    if (!from) continue;
    for (const call of s.calls) {
      const to = serviceNode(call.to);
      if (to && to !== from) edge(from, to, cacheText(call.cache));
    }
    const byModel = new Map<string, MapAccess[]>();
    for (const a of [...s.reads, ...s.writes]) if (a.model) byModel.set(a.model, [...(byModel.get(a.model) ?? []), a]);
    for (const [model, accesses] of byModel) {
      const kinds = [...new Set(accesses.map((a) => (a.kind === "read" ? "read" : "write")))].sort().join("/");
      const cache = accesses.find((a) => a.cache)?.cache ?? null;
      edge(from, modelNode(model), cache ? `${kinds}, ${cacheText(cache)}` : kinds);
    }
  }
  lines.push(...[...edges].sort());

  map.findings.forEach((f, i) => {
    if (!f.attachedTo) return;
    const owner =
      f.attachedTo.kind === "endpoint"
        ? ids.get(`endpoint:${f.attachedTo.id}`)
        : f.attachedTo.kind === "service"
          ? serviceNode(f.attachedTo.id)
          : ids.get(`model:${f.attachedTo.id}`);
    if (!owner) return;
    lines.push(`  f${i}{{"${label(f.rule.replace(/^archlint\//, ""))}"}}`);
    lines.push(`  class f${i} finding`);
    lines.push(`  ${owner} -.- f${i}`);
  });

  lines.push(
    "  classDef endpoint fill:#e8f0fe,stroke:#3367d6",
    "  classDef hot fill:#fde7d9,stroke:#d9480f",
    "  classDef open stroke:#c92a2a,stroke-width:3px",
    "  classDef service fill:#f1f3f5,stroke:#868e96",
    "  classDef model fill:#e6fcf5,stroke:#0ca678",
    "  classDef finding fill:#ffe3e3,stroke:#c92a2a,color:#c92a2a",
  );
  return `${lines.join("\n")}\n`;
}

function cacheText(cache: MapCache | null): string | null {
  if (!cache) return null;
  return cache.kind === "wrapper" ? `cached: ${cache.by}` : cache.kind === "accelerate" ? "cached: Accelerate" : "cache-aside";
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as entities, so a label cannot end early or become HTML. */
function label(text: string): string {
  return text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
