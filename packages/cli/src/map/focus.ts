import type { ArchitectureMap } from "@archlint/core";

/**
 * `--focus`: one endpoint (by id or name) and what it reaches, or one model (by name or table) and
 * the endpoints that read or write it with what they reach. null when the name matches neither.
 */
export function focusMap(map: ArchitectureMap, name: string): ArchitectureMap | null {
  const wanted = name.trim();
  let endpoints = map.endpoints.filter((e) => e.id === wanted || e.name === wanted);
  const model = map.models.find((m) => m.name === wanted || m.table === wanted) ?? map.models.find((m) => m.name.toLowerCase() === wanted.toLowerCase());
  if (endpoints.length === 0 && model) endpoints = map.endpoints.filter((e) => e.models.includes(model.name));
  if (endpoints.length === 0 && !model) return null;
  const serviceIds = new Set(endpoints.flatMap((e) => e.services.map((s) => s.id)));
  const modelNames = new Set(endpoints.flatMap((e) => e.models));
  if (model) modelNames.add(model.name);
  const services = map.services.filter((s) => serviceIds.has(s.id));
  const models = map.models.filter((m) => modelNames.has(m.name));
  const findingIds = new Set([...endpoints, ...services, ...models].flatMap((n) => n.findings));
  const files = new Set([...endpoints, ...services].map((n) => n.location.file));
  return {
    ...map,
    endpoints,
    services,
    models,
    findings: map.findings.filter((f) => findingIds.has(f.id)),
    unresolved: map.unresolved.filter((u) => files.has(u.location.file)),
  };
}
