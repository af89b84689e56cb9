// Which picture an account gets: a brand icon from the generated simple-icons
// subset when the issuer is known, else a letter on a colour picked from the
// issuer's name (stable across runs, no network).
import { ALIASES, ICONS, type BrandIcon } from "./icons.generated";
import type { AccountView } from "./types";

export type IconChoice =
  | { kind: "brand"; slug: string; icon: BrandIcon; glyph: string }
  | { kind: "letter"; letter: string; background: string };

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

let byTitle: Map<string, string> | undefined;

/** The simple-icons slug for an issuer name, or null. "GitHub", "github.com", "Google Workspace" all find theirs. */
export function brandSlug(issuer: string): string | null {
  byTitle ??= new Map(
    Object.entries(ICONS).map(([slug, i]) => [normalise(i.title), slug]),
  );
  const bare = issuer
    .trim()
    .toLowerCase()
    .replace(/^(https?:\/\/)?(www\.)?/, "")
    .replace(/\.(com|org|net|io|me|dev|co|app)(\/.*)?$/, "");
  for (const candidate of [bare, bare.split(/[\s.:/(]/)[0]]) {
    const n = normalise(candidate);
    if (!n) continue;
    const hit = ICONS[n] ? n : (ALIASES[n] ?? byTitle.get(n));
    if (hit) return hit;
  }
  return null;
}

function hash(text: string): number {
  let h = 5381;
  for (let i = 0; i < text.length; i++)
    h = (Math.imul(h, 33) ^ text.charCodeAt(i)) >>> 0;
  return h;
}

/** A calm colour for a letter avatar; white text stays readable on it. */
export function letterBackground(name: string): string {
  return `hsl(${hash(name.toLowerCase()) % 360} 42% 42%)`;
}

/** White or near-black, whichever reads better on the brand colour. */
export function glyphColour(hex: string): string {
  const [r, g, b] = [0, 2, 4].map(
    (i) => parseInt(hex.slice(i, i + 2), 16) / 255,
  );
  const lin = (c: number) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.45 ? "#1a1a1a" : "#ffffff";
}

export function iconFor(
  a: Pick<AccountView, "issuer" | "label" | "icon">,
): IconChoice {
  const name = a.issuer || a.label || "?";
  const slug =
    a.icon === "letter"
      ? null
      : a.icon && ICONS[a.icon]
        ? a.icon
        : brandSlug(a.issuer);
  if (slug)
    return {
      kind: "brand",
      slug,
      icon: ICONS[slug],
      glyph: glyphColour(ICONS[slug].hex),
    };
  const letter = (name.match(/[\p{L}\p{N}]/u)?.[0] ?? "?").toUpperCase();
  return { kind: "letter", letter, background: letterBackground(name) };
}

/** Every brand in the subset, by title, for the icon picker. */
export function brandList(): { slug: string; title: string }[] {
  return Object.entries(ICONS)
    .map(([slug, i]) => ({ slug, title: i.title }))
    .sort((x, y) => x.title.localeCompare(y.title));
}
