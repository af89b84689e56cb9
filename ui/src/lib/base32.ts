// Client-side checks on a typed secret, so the form can say what is wrong
// before anything is sent. Rust checks again.

/** Upper-case, without spaces, dashes or `=` padding: what people paste is often grouped. */
export function normaliseSecret(input: string): string {
  return input
    .replace(/[\s-]+/g, "")
    .replace(/=+$/, "")
    .toUpperCase();
}

/** A sentence saying what is wrong with the secret, or null when it is fine. */
export function secretProblem(input: string): string | null {
  const s = normaliseSecret(input);
  if (!s)
    return "Enter the secret key the site showed you (it is often under “Can’t scan the code?”).";
  const bad = s.match(/[^A-Z2-7]/);
  if (bad) {
    return `The secret can only hold the letters A–Z and the digits 2–7, and “${bad[0]}” is not one of them. Check for 0, 1, 8 and 9, which are never used.`;
  }
  if (s.length < 16)
    return "That secret is too short: it should have at least 16 characters. Check that you copied all of it.";
  if ([1, 3, 6].includes(s.length % 8))
    return "That secret looks cut off at the end. Copy it again in full.";
  return null;
}
