// What the window knows right now: lock state, accounts, current codes,
// settings. One per App (handed down by context), so tests start clean.
import { getContext, setContext } from "svelte";
import * as backend from "./backend";
import type {
  AccountView,
  CodeView,
  KeyUnlock,
  LockState,
  Settings,
} from "./types";

export class Session {
  lock = $state<LockState | null>(null);
  accounts = $state.raw<AccountView[]>([]);
  codes = $state.raw<Record<string, CodeView>>({});
  settings = $state.raw<Settings | null>(null);
  /** A sentence to show when loading failed. */
  problem = $state<string | null>(null);

  #fetchingCodes = false;
  #earliestExpiry = Infinity;

  async start() {
    try {
      const t0 = performance.now();
      this.lock = await backend.status();
      const t1 = performance.now();
      if (this.lock.state === "unlocked") await this.load();
      const t2 = performance.now();
      // Two frames later the first screen is on the display.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const t3 = performance.now();
          const ms = (a: number, b: number) => Math.round(b - a);
          const phases = `page ${Math.round(t0)} ms, status ${ms(t0, t1)} ms, load ${ms(t1, t2)} ms, frames ${ms(t2, t3)} ms`;
          void backend.painted(phases).catch(() => {});
        }),
      );
    } catch (e) {
      this.problem = (e as Error).message;
      this.lock = {
        state: "locked",
        reason: (e as Error).message,
        password: true,
      };
    }
  }

  /** After unlocking: everything the home screen needs. */
  async load() {
    // All three at once: the first screen waits for one round trip, not two.
    const [accounts, settings] = await Promise.all([
      backend.accounts(),
      backend.settings(),
      this.refreshCodes(),
    ]);
    this.accounts = accounts;
    this.settings = settings;
    applyTheme(settings.theme);
  }

  async refreshCodes() {
    if (this.#fetchingCodes) return;
    this.#fetchingCodes = true;
    try {
      const list = await backend.codes();
      const map: Record<string, CodeView> = {};
      let earliest = Infinity;
      for (const c of list) {
        map[c.id] = c;
        if (c.validUntil < earliest) earliest = c.validUntil;
      }
      this.codes = map;
      this.#earliestExpiry = earliest;
    } catch (e) {
      this.problem = (e as Error).message;
    } finally {
      this.#fetchingCodes = false;
    }
  }

  /** Called by the shared clock: fetch new codes once any shown code has expired. */
  tick(nowMs: number) {
    if (this.lock?.state === "unlocked" && nowMs / 1000 >= this.#earliestExpiry)
      void this.refreshCodes();
  }

  upsert(a: AccountView) {
    const i = this.accounts.findIndex((x) => x.id === a.id);
    this.accounts =
      i < 0
        ? [...this.accounts, a]
        : this.accounts.map((x, j) => (j === i ? a : x));
  }

  async added(list: AccountView[]) {
    for (const a of list) this.upsert(a);
    await this.refreshCodes();
  }

  removed(id: string) {
    this.accounts = this.accounts.filter((a) => a.id !== id);
    const { [id]: _gone, ...rest } = this.codes;
    this.codes = rest;
  }

  async reloadAccounts() {
    this.accounts = await backend.accounts();
  }

  /** `password`: Rust's word on whether the keychain can open the vault again;
   * `keys`: whether a security key can (or only it can). */
  lockedOut(
    reason: string,
    password: boolean,
    keys: KeyUnlock = { securityKey: false, keyOnly: false },
  ) {
    this.lock = { state: "locked", reason, password, ...keys };
    this.accounts = [];
    this.codes = {};
    this.#earliestExpiry = Infinity;
  }

  async saveSettings(next: Settings) {
    this.settings = await backend.setSettings(next);
    applyTheme(this.settings.theme);
  }
}

export function applyTheme(theme: Settings["theme"]) {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

const KEY = Symbol("session");
export const provideSession = (s: Session) => setContext(KEY, s);
export const useSession = () => getContext<Session>(KEY);
