import { describe, expect, it } from "vitest";
import {
  brandSlug,
  glyphColour,
  iconFor,
  letterBackground,
} from "../src/lib/icon";
import { ICONS } from "../src/lib/icons.generated";

describe("issuer icons", () => {
  it("ships a subset, not all of simple-icons", () => {
    const n = Object.keys(ICONS).length;
    expect(n).toBeGreaterThan(120);
    expect(n).toBeLessThan(250);
  });
  it("finds brands by title, domain, first word and alias", () => {
    expect(brandSlug("GitHub")).toBe("github");
    expect(brandSlug("github.com")).toBe("github");
    expect(brandSlug("Google Workspace")).toBe("google");
    expect(brandSlug("Twitter")).toBe("x");
    expect(brandSlug("DigitalOcean")).toBe("digitalocean");
    expect(brandSlug("Acme Intranet")).toBeNull();
  });
  it("falls back to a stable letter avatar", () => {
    const a = iconFor({ issuer: "Acme Intranet", label: "bob", icon: null });
    expect(a).toEqual({
      kind: "letter",
      letter: "A",
      background: letterBackground("Acme Intranet"),
    });
    expect(letterBackground("Acme")).toBe(letterBackground("acme"));
    expect(letterBackground("Acme")).not.toBe(letterBackground("Zeta"));
  });
  it("honours the chosen icon", () => {
    expect(iconFor({ issuer: "GitHub", label: "", icon: "letter" }).kind).toBe(
      "letter",
    );
    const chosen = iconFor({
      issuer: "Work VPN",
      label: "",
      icon: "cloudflare",
    });
    expect(chosen.kind === "brand" && chosen.slug).toBe("cloudflare");
  });
  it("draws dark glyphs on light brand colours", () => {
    expect(glyphColour("FFFC00")).toBe("#1a1a1a");
    expect(glyphColour("181717")).toBe("#ffffff");
  });
});
