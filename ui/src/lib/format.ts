// Small pure helpers for showing codes and time.

/** Group a code for reading: `123 456`, `1234 5678`, `123 4567`; Steam codes and short codes as they are. */
export function groupCode(code: string): string {
  if (!/^\d+$/.test(code) || code.length < 6) return code;
  const cut = code.length === 6 ? 3 : code.length - 4;
  return `${code.slice(0, cut)} ${code.slice(cut)}`;
}

/** Whole seconds until `validUntil` (unix seconds), as a countdown shows them: 30 … 1, then 0 when expired. */
export function secondsLeft(validUntil: number, nowMs: number): number {
  return Math.max(0, Math.ceil(validUntil - nowMs / 1000));
}

/** The share of the period still left, 1 → 0, for a ring or bar. */
export function fractionLeft(
  validUntil: number,
  period: number,
  nowMs: number,
): number {
  if (period <= 0) return 0;
  return Math.min(1, Math.max(0, (validUntil - nowMs / 1000) / period));
}

/** The last seconds of a code, shown in the warning colour. */
export const WARN_SECONDS = 5;
export const isEnding = (left: number) => left <= WARN_SECONDS;

export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
  });
}

/** "Copied — clears in 30 s", or that it stays when the clipboard is not cleared. */
export function copiedText(clearsInSeconds: number): string {
  return clearsInSeconds > 0
    ? `Copied — clears in ${clearsInSeconds} s`
    : "Copied";
}
