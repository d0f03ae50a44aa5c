import { describe, expect, it } from "vitest";
import plugin from "eslint-plugin-archlint";

type Config = { files?: string[]; language?: string; rules?: Record<string, string>; languageOptions?: { parserOptions?: { projectService?: boolean } } };
const rules = plugin.rules as Record<string, { meta: { docs: { recommended: string; requiresTypeChecking?: boolean }; languages?: string[] } }>;
const presets = plugin.configs as Record<string, Config[]>;

function enabled(preset: string): string[] {
  return presets[preset]!.flatMap((c) => Object.keys(c.rules ?? {})).sort();
}

describe("presets follow rule meta", () => {
  it("recommended = rules marked recommended that need no types", () => {
    const expected = Object.entries(rules)
      .filter(([, r]) => r.meta.docs.recommended === "recommended" && !r.meta.docs.requiresTypeChecking)
      .map(([id]) => `archlint/${id}`)
      .sort();
    expect(enabled("recommended")).toEqual(expected);
    expect(expected).toContain("archlint/prisma-relation-index");
  });

  it("all = every rule; strict and recommended-type-checked sit between", () => {
    const all = Object.keys(rules).map((id) => `archlint/${id}`).sort();
    expect(enabled("all")).toEqual(all);
    for (const id of enabled("recommended")) expect(enabled("recommended-type-checked")).toContain(id);
    for (const id of enabled("recommended-type-checked")) expect(enabled("strict")).toContain(id);
  });

  it("prisma rules run only on .prisma files through the archlint/prisma language, the others only on code", () => {
    for (const preset of Object.keys(presets)) {
      for (const config of presets[preset]!) {
        for (const id of Object.keys(config.rules ?? {})) {
          const isPrisma = rules[id.replace("archlint/", "")]!.meta.languages?.includes("archlint/prisma") ?? false;
          expect(config.language === "archlint/prisma", `${preset}: ${id}`).toBe(isPrisma);
          expect(config.files?.every((f) => f.endsWith(".prisma")), `${preset}: ${id}`).toBe(isPrisma);
        }
      }
    }
  });

  it("type-checked presets turn on the project service; recommended does not", () => {
    const service = (p: string) => presets[p]!.some((c) => c.languageOptions?.parserOptions?.projectService === true);
    expect(service("recommended")).toBe(false);
    expect(service("recommended-type-checked")).toBe(true);
  });
});
