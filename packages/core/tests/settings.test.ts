import { DEFAULT_NON_RUNTIME, parseSettings, SettingsError, settingsSchema } from "../src/index.js";

describe("settings.archlint.nonRuntime", () => {
  it("takes a list of globs, kept as written (it replaces the default list, never merges with it)", () => {
    expect(parseSettings({ nonRuntime: ["tools/**", "**/*.stories.tsx"] })).toEqual({ nonRuntime: ["tools/**", "**/*.stories.tsx"] });
    expect(parseSettings({ nonRuntime: [] })).toEqual({ nonRuntime: [] });
    expect(parseSettings({})).toEqual({});
  });

  it("names the key when a value is not a non-empty string list", () => {
    expect(() => parseSettings({ nonRuntime: "scripts/**" })).toThrow(SettingsError);
    expect(() => parseSettings({ nonRuntime: "scripts/**" })).toThrow(/^Invalid settings\.archlint\.nonRuntime: /);
    expect(() => parseSettings({ nonRuntime: ["scripts/**", ""] })).toThrow(/^Invalid settings\.archlint\.nonRuntime\.1: /);
    expect(() => parseSettings({ nonruntime: ["scripts/**"] })).toThrow(/^Invalid settings\.archlint\.nonruntime: /);
  });

  it("is described in the schema", () => {
    expect(settingsSchema.shape.nonRuntime.description).toMatch(/replaces the default list/);
  });

  it("defaults to tests, seeds, scripts, migrations, fixtures, mocks and generated files", () => {
    expect(DEFAULT_NON_RUNTIME).toEqual([
      "**/*.test.*",
      "**/*.spec.*",
      "**/__tests__/**",
      "**/test/**",
      "**/tests/**",
      "**/e2e/**",
      "**/seed.*",
      "**/seed/**",
      "**/seeds/**",
      "**/scripts/**",
      "**/*migrations/**",
      "**/fixtures/**",
      "**/__mocks__/**",
      "**/*.gen.*",
      "**/generated/**",
    ]);
  });
});
