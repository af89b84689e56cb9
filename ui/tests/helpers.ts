import { render, screen, waitFor } from "@testing-library/svelte";
import App from "../src/App.svelte";
import { mock } from "../src/lib/backend.mock";
import type { LockState } from "../src/lib/types";

/** Render the whole app over a fresh mock vault and wait for the first screen. */
export async function renderApp(
  opts: { lock?: LockState; accounts?: number | "demo" } = { accounts: "demo" },
) {
  mock.reset(opts);
  const result = render(App);
  if (!opts.lock || opts.lock.state === "unlocked") {
    await screen.findByRole("searchbox", { name: "Search accounts" });
    if (opts.accounts)
      await waitFor(() => {
        if (!document.querySelector("[data-account-id] .code"))
          throw new Error("no codes yet");
      });
  }
  return result;
}

export const row = (id: string) =>
  document.querySelector<HTMLElement>(`[data-account-id="${id}"]`);
export const rowIds = () =>
  [...document.querySelectorAll<HTMLElement>("[data-account-id]")].map(
    (r) => r.dataset.accountId,
  );
export { mock };
