import { describe, expect, it } from "vitest";
import {
  copiedText,
  fractionLeft,
  groupCode,
  isEnding,
  secondsLeft,
} from "../src/lib/format";
import { normaliseSecret, secretProblem } from "../src/lib/base32";
import { scrollToShow, visibleRange } from "../src/lib/virtual";

describe("groupCode", () => {
  it("groups codes for reading", () => {
    expect(groupCode("123456")).toBe("123 456");
    expect(groupCode("12345678")).toBe("1234 5678");
    expect(groupCode("1234567")).toBe("123 4567");
  });
  it("leaves Steam and short codes as they are", () => {
    expect(groupCode("YYNHM")).toBe("YYNHM");
    expect(groupCode("12345")).toBe("12345");
  });
});

describe("countdown maths", () => {
  const validUntil = 1_800_000_030; // a period of 30 s ending here
  const at = (s: number) => s * 1000;
  it("counts whole seconds down to the expiry", () => {
    expect(secondsLeft(validUntil, at(1_800_000_000))).toBe(30);
    expect(secondsLeft(validUntil, at(1_800_000_000.4))).toBe(30);
    expect(secondsLeft(validUntil, at(1_800_000_029.2))).toBe(1);
    expect(secondsLeft(validUntil, at(1_800_000_030))).toBe(0);
    expect(secondsLeft(validUntil, at(1_800_000_045))).toBe(0);
  });
  it("gives the share of the period left, clamped to 0…1", () => {
    expect(fractionLeft(validUntil, 30, at(1_800_000_000))).toBe(1);
    expect(fractionLeft(validUntil, 30, at(1_800_000_015))).toBeCloseTo(0.5);
    expect(fractionLeft(validUntil, 30, at(1_800_000_040))).toBe(0);
    expect(fractionLeft(validUntil, 30, at(1_799_999_000))).toBe(1);
  });
  it("warns in the last five seconds only", () => {
    expect(isEnding(6)).toBe(false);
    expect(isEnding(5)).toBe(true);
    expect(isEnding(1)).toBe(true);
  });
  it("says how long a copy stays", () => {
    expect(copiedText(30)).toBe("Copied — clears in 30 s");
    expect(copiedText(0)).toBe("Copied");
  });
});

describe("secret checks", () => {
  it("tolerates spaces, dashes, lower case and padding", () => {
    expect(normaliseSecret(" jbsw y3dp-ehpk 3pxp== ")).toBe("JBSWY3DPEHPK3PXP");
    expect(secretProblem("jbsw y3dp ehpk 3pxp")).toBeNull();
  });
  it("names the character that cannot be in a secret", () => {
    expect(secretProblem("JBSWY3DPEHPK3PX1")).toMatch(/“1” is not one of them/);
    expect(secretProblem("")).toMatch(/Enter the secret/);
    expect(secretProblem("JBSWY3DP")).toMatch(/too short/);
    expect(secretProblem("JBSWY3DPEHPK3PXPJ")).toMatch(/cut off/);
  });
});

describe("virtual list range", () => {
  it("draws the rows in view plus overscan, within bounds", () => {
    expect(visibleRange(0, 760, 76, 1000, 4)).toEqual({ start: 0, end: 14 });
    expect(visibleRange(76 * 500, 760, 76, 1000, 4)).toEqual({
      start: 496,
      end: 514,
    });
    expect(visibleRange(76 * 995, 760, 76, 1000, 4)).toEqual({
      start: 991,
      end: 1000,
    });
    expect(visibleRange(0, 760, 76, 0)).toEqual({ start: 0, end: 0 });
  });
  it("scrolls just enough to show a row", () => {
    expect(scrollToShow(0, 0, 760, 76)).toBeNull();
    expect(scrollToShow(10, 0, 760, 76)).toBe(76 * 11 - 760);
    expect(scrollToShow(2, 400, 760, 76)).toBe(152);
  });
});
