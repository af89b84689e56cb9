// Search over the account list: pure, and fast enough to run on every keystroke
// for thousands of accounts (see tests/filter.test.ts for the measured time).
import type { AccountView } from "./types";

// Lower-cased "issuer label tags" per account, kept while the account object lives.
const haystacks = new WeakMap<AccountView, string>();

function haystack(a: AccountView): string {
  let h = haystacks.get(a);
  if (h === undefined) {
    h = `${a.issuer} ${a.label} ${a.tags.join(" ")}`.toLowerCase();
    haystacks.set(a, h);
  }
  return h;
}

/**
 * Accounts whose issuer, account name or tags contain every word of `query`
 * (case-insensitive), those whose issuer starts with the query first, otherwise
 * in their original order. An empty query returns the list as it is.
 */
export function filterAccounts(
  accounts: readonly AccountView[],
  query: string,
): AccountView[] {
  const q = query.trim().toLowerCase();
  if (!q) return accounts as AccountView[];
  const words = q.split(/\s+/);
  const first: AccountView[] = [];
  const rest: AccountView[] = [];
  for (const a of accounts) {
    const h = haystack(a);
    let all = true;
    for (const w of words) {
      if (!h.includes(w)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    (h.startsWith(q) ? first : rest).push(a);
  }
  return first.length ? first.concat(rest) : rest;
}
