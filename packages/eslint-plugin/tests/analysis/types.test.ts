import { describe, expect, it } from "vitest";
import { askChecker } from "../../src/analysis/syntax/types.js";

describe("askChecker", () => {
  it("answers the question when the checker succeeds", () => {
    expect(askChecker(() => "string", "unknown")).toBe("string");
  });

  it("answers `unknown` when TypeScript reports an internal failure on code it cannot type", () => {
    const debugFailure = () => {
      throw new Error("Debug Failure. False expression: Node must have a real position for this operation");
    };
    expect(askChecker(debugFailure, "unknown")).toBe("unknown");
  });

  it("answers `unknown` when a deeply nested type exhausts the stack", () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    expect(askChecker(() => recurse(0), -1)).toBe(-1);
  });

  it("lets any other error surface: it is a bug, not a question the checker cannot answer", () => {
    const bug = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'flags')");
    };
    expect(() => askChecker(bug, null)).toThrow(TypeError);
    expect(() =>
      askChecker(() => {
        throw new RangeError("Invalid array length");
      }, null),
    ).toThrow(RangeError);
  });
});
