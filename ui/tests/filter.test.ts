import { describe, expect, it } from "vitest";
import { filterAccounts } from "../src/lib/filter";
import type { AccountView } from "../src/lib/types";

const ISSUERS = [
  "GitHub",
  "Google",
  "Proton",
  "Cloudflare",
  "Discord",
  "Steam",
  "Dropbox",
  "PayPal",
  "Coinbase",
  "npm",
];

function make(n: number): AccountView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `a${i}`,
    issuer: `${ISSUERS[i % ISSUERS.length]} ${i}`,
    label: `user${i}@example.com`,
    kind: "totp",
    digits: 6,
    period: 30,
    tags: i % 7 === 0 ? ["work"] : [],
    icon: null,
    recovery: null,
  }));
}

describe("filterAccounts", () => {
  it("returns the list unchanged for an empty or blank query", () => {
    const list = make(5);
    expect(filterAccounts(list, "")).toBe(list);
    expect(filterAccounts(list, "   ")).toBe(list);
  });

  it("matches issuer, account and tags case-insensitively, every word", () => {
    const list = make(30);
    expect(filterAccounts(list, "GITHUB").map((a) => a.id)).toEqual([
      "a0",
      "a10",
      "a20",
    ]);
    expect(filterAccounts(list, "user13@").map((a) => a.id)).toEqual(["a13"]);
    expect(filterAccounts(list, "work").map((a) => a.id)).toEqual([
      "a0",
      "a7",
      "a14",
      "a21",
      "a28",
    ]);
    expect(filterAccounts(list, "github work").map((a) => a.id)).toEqual([
      "a0",
    ]);
    expect(filterAccounts(list, "nothing-like-this")).toEqual([]);
  });

  it("puts issuers that start with the query first, keeping order otherwise", () => {
    const list: AccountView[] = [
      { ...make(1)[0], id: "x", issuer: "My Steam mirror", label: "a" },
      { ...make(1)[0], id: "y", issuer: "Steam", label: "b" },
    ];
    expect(filterAccounts(list, "steam").map((a) => a.id)).toEqual(["y", "x"]);
  });

  it("filters 1,000 accounts per keystroke well inside a frame (time is logged)", () => {
    const list = make(1000);
    const queries = [
      "g",
      "gi",
      "git",
      "gith",
      "githu",
      "github",
      "github 1",
      "user99",
      "work",
      "zzz",
    ];
    filterAccounts(list, "warm up the haystack cache");
    const results: number[] = [];
    const t0 = performance.now();
    for (let round = 0; round < 10; round++)
      for (const q of queries) results.push(filterAccounts(list, q).length);
    const perKeystroke = (performance.now() - t0) / (10 * queries.length);
    console.log(
      `filterAccounts over 1,000 accounts: ${perKeystroke.toFixed(3)} ms per keystroke`,
    );
    // Same accounts as a naive reference (order aside), and a few counts worked out by hand.
    const naive = (q: string) =>
      list.filter((a) =>
        q
          .split(" ")
          .every((w) =>
            `${a.issuer} ${a.label} ${a.tags}`.toLowerCase().includes(w),
          ),
      );
    for (const q of queries)
      expect(
        filterAccounts(list, q)
          .map((a) => a.id)
          .sort(),
      ).toEqual(
        naive(q)
          .map((a) => a.id)
          .sort(),
      );
    expect(results.slice(0, 3)).toEqual([200, 100, 100]);
    expect(results[queries.indexOf("work")]).toBe(143);
    expect(results[queries.indexOf("zzz")]).toBe(0);
  });
});
