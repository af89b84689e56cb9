// The account service's pages in real headless Chromium (Debian's /usr/bin/chromium),
// with Chromium's virtual WebAuthn authenticator standing in for a platform passkey:
// sign up → set up the authenticator app (a TOTP code computed here) → recovery codes →
// add a passkey → sign out → sign in → "Use a passkey" → signed in.
//
// Starts the service itself: $ACCOUNT_SERVICE_BIN, else target/debug/account-service
// (cargo build -p account-service). Screenshots go to target/browser-shots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repo, "target");
const serviceBin = process.env.ACCOUNT_SERVICE_BIN ?? join(target, "debug", "account-service");
const chromiumBin = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
const shots = join(target, "browser-shots");

/** RFC 6238 with SHA-1, 6 digits, 30 s steps, from a base32 secret (spaces allowed). */
function totp(base32, unixSeconds = Date.now() / 1000) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/[\s=]/g, "").toUpperCase()) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `not base32: ${c}`);
    bits += v.toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

test("RFC 6238 test vector (SHA-1, T = 59)", () => {
  // The RFC's 20-byte ASCII key "12345678901234567890", in base32; 8 digits 94287082.
  assert.equal(totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59), "287082");
});

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function startService() {
  assert.ok(existsSync(serviceBin), `${serviceBin} is missing: run cargo build -p account-service`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "account-service-browser-"));
  const origin = `http://localhost:${port}`;
  const child = spawn(
    serviceBin,
    ["--listen", `127.0.0.1:${port}`, "--data", join(dir, "accounts.sqlite3"), "--origin", origin, "--rp-id", "localhost"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // Its log is shown only if it does not start.
  const log = [];
  child.stdout.on("data", (d) => log.push(d));
  child.stderr.on("data", (d) => log.push(d));
  const exited = new Promise((ok) => child.once("exit", (code, signal) => ok({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`account-service exited with ${child.exitCode}:\n${Buffer.concat(log)}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${port}/.well-known/latchkey`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`account-service did not start within 20 s:\n${Buffer.concat(log)}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { origin, stop };
}

/**
 * Runs `flow` against a fresh service in a fresh headless Chromium with a virtual
 * platform authenticator (user verified). Screenshots are `<prefix>-NN-<name>.png`; on
 * failure the page is saved as `<prefix>-failed.png` and its text is in the error.
 * Any page error or console error (a CSP refusal, a 404) fails the flow.
 */
async function inBrowser(prefix, flow) {
  mkdirSync(shots, { recursive: true });
  rmSync(join(shots, `${prefix}-failed.png`), { force: true });
  const service = await startService();
  const profile = mkdtempSync(join(tmpdir(), "account-service-chromium-"));
  let context;
  let page;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumBin,
      headless: true,
      viewport: { width: 1000, height: 900 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    context.setDefaultTimeout(15_000);
    page = context.pages()[0] ?? (await context.newPage());
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()} (${m.location().url})`);
    });

    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    const credentials = async () =>
      (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;

    let shot = 0;
    const snap = async (name) => {
      shot += 1;
      const file = `${prefix}-${String(shot).padStart(2, "0")}-${name}.png`;
      await page.screenshot({ path: join(shots, file), fullPage: true });
    };
    await flow({ page, origin: service.origin, snap, credentials });
    assert.deepEqual(problems, []);
  } catch (e) {
    await page?.screenshot({ path: join(shots, `${prefix}-failed.png`), fullPage: true }).catch(() => {});
    const text = await page?.locator("main").innerText().catch(() => "");
    throw new Error(`${e.message}\nat ${page?.url()}\n${text}`, { cause: e });
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await service.stop();
  }
}

const password = "correct horse battery staple";

async function signUp(page, origin, email, snap) {
  await page.goto(`${origin}/signup`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await snap?.("signup");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/account/security");
}

async function addPasskey(page, name) {
  await page.getByLabel("Name for the new passkey").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.waitForURL("**/account/security?done=passkey_added*");
  await page.getByText("Your passkey was added.").waitFor();
  await page.locator("#passkeys li", { hasText: name }).getByText("never used").waitFor();
}

async function signOutAndIn(page, email, snap) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await snap?.("login");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL("**/login/second-factor*");
}

test("sign up, set up TOTP, add a passkey, sign in with it", { timeout: 120_000 }, () =>
  inBrowser("totp", async ({ page, origin, snap, credentials }) => {
    const email = "ada@example.com";
    await signUp(page, origin, email, snap);
    await page.getByRole("heading", { name: "Passkeys" }).waitFor();
    await snap("security-new");

    // Authenticator app: read the key shown, confirm with a code computed here.
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await page.locator("code.secret").innerText()).trim();
    assert.match(secret, /^[A-Z2-7 ]{16,}$/);
    await snap("totp-setup");
    await page.getByLabel("6-digit code").fill(totp(secret));
    await page.getByRole("button", { name: "Turn on two-factor" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    const codes = await page.locator("ol.codes code").allInnerTexts();
    assert.equal(codes.length, 10);
    for (const code of codes) assert.match(code, /^[0-9a-z]{5}-[0-9a-z]{5}$/);
    await snap("recovery-codes");
    await page.getByRole("link", { name: "I have saved my codes" }).click();
    await page.waitForURL("**/account/security");
    await snap("security-totp-on");

    // Add a passkey with the virtual authenticator.
    await addPasskey(page, "Test laptop");
    assert.equal((await credentials()).length, 1, "the authenticator holds one credential");
    await snap("passkey-added");

    // Sign out, sign in, second factor with the passkey.
    await signOutAndIn(page, email, snap);
    await page.getByLabel("Code").waitFor();
    await snap("second-factor");
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL("**/account/security");
    await page.getByText(email).waitFor();
    const item = page.locator("#passkeys li", { hasText: "Test laptop" });
    await item.getByText(/last used \d+ \w+ \d{4}/).waitFor();
    assert.ok((await credentials())[0].signCount >= 1, "the passkey signed the sign-in");
    await snap("signed-in-with-passkey");
  }));

test("a passkey alone is two-factor: sign in with it, remove it", { timeout: 120_000 }, () =>
  inBrowser("passkey-only", async ({ page, origin, snap }) => {
    const email = "grace@example.com";
    await signUp(page, origin, email);
    await addPasskey(page, "Phone");
    await page.locator(".badge.on").waitFor();
    await snap("security");

    // Without an authenticator app, the sign-in goes straight to the passkey step.
    await signOutAndIn(page, email);
    assert.match(page.url(), /method=passkey/);
    assert.equal(await page.getByLabel("Code").count(), 0);
    await snap("second-factor");
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL("**/account/security");
    await page.locator("#passkeys li", { hasText: "Phone" }).getByText(/last used/).waitFor();

    await page.getByRole("button", { name: "Remove Phone" }).click();
    await page.waitForURL("**/account/security?done=passkey_removed*");
    await page.getByText("No passkeys yet.").waitFor();
    await page.locator(".badge.off").waitFor();
    await snap("removed");
  }));
