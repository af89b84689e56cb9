// Screenshots of every screen against the mock build, for looking at, not for committing.
// Needs: npm run build:mock, then `npx vite preview --outDir dist-mock --port 4179` running.
// Usage: node scripts/shots.mjs [baseUrl] [outDir]
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.argv[2] ?? "http://127.0.0.1:4179/";
const out =
  process.argv[3] ??
  new URL("../../target/ui-shots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
});

async function page(
  query,
  scheme = "light",
  size = { width: 480, height: 760 },
) {
  const ctx = await browser.newContext({
    viewport: size,
    colorScheme: scheme,
    deviceScaleFactor: 1,
  });
  const p = await ctx.newPage();
  p.on("pageerror", (e) => console.error("page error:", e.message));
  p.on("console", (m) => {
    if (m.type() === "error") console.error("console:", m.text());
  });
  await p.goto(base + query);
  return p;
}
const shot = (p, name) =>
  p
    .waitForTimeout(350)
    .then(() => p.screenshot({ path: `${out}${name}.png` }))
    .then(() => console.log(`${out}${name}.png`));

let p = await page("?lock=locked");
await p.waitForSelector("#unlock-password");
await p.fill("#unlock-password", "wrong");
await p.click("#unlock-submit");
await p.waitForSelector("#unlock-error");
await shot(p, "01-unlock");

p = await page("?lock=setup", "dark");
await p.waitForSelector("#unlock-password");
await shot(p, "02-setup-dark");

for (const scheme of ["light", "dark"]) {
  p = await page("", scheme);
  await p.waitForSelector("[data-account-id] .code");
  await p.waitForTimeout(300);
  await p.hover('[data-account-id="acc-3"]');
  await p.click('[data-account-id="acc-2"] .main');
  await p.waitForSelector(".copied");
  await p.hover('[data-account-id="acc-3"]');
  await shot(p, `03-codes-${scheme}`);
}

p = await page("?accounts=empty");
await p.waitForSelector(".empty");
await shot(p, "04-empty");

p = await page("");
await p.waitForSelector("[data-account-id]");
await p.keyboard.type("git");
await p.waitForTimeout(100);
await shot(p, "05-search");

p = await page("");
await p.waitForSelector("#add-button");
await p.click("#add-button");
await p.waitForSelector("#add-uri");
await p.click("#paste-clipboard");
await p.waitForSelector(".error");
await shot(p, "06-add-sheet");

await p.fill(
  "#add-uri",
  "otpauth://totp/Slack:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Slack",
);
await p.click("#add-uri-submit");
await p.waitForSelector("#confirm-code");
await p.waitForTimeout(300);
await shot(p, "07-confirm");
await p.fill("#recovery-text", "1. 8f3k-2m9q\n2. 7d1x-p0w4\n3. z6c2-r8t1");
await p.click("#recovery-save");
await p.waitForTimeout(200);
await shot(p, "08-confirm-saved");

p = await page("");
await p.click("#add-button");
await p.click("text=Enter manually");
await p.fill("#manual-secret", "JBSW 1DPE");
await p.click("#manual-submit");
await p.waitForSelector("#manual-secret-error");
await shot(p, "09-manual-errors");

for (const scheme of ["light", "dark"]) {
  p = await page("", scheme, { width: 640, height: 900 });
  await p.waitForSelector('[data-account-id="acc-4"]');
  await p.click('[data-account-id="acc-4"] .more');
  await p.waitForSelector(".recovery-code");
  await shot(p, `10-details-${scheme}`);
  await p.evaluate(() =>
    document.querySelector(".danger-zone")?.scrollIntoView(),
  );
  await p.click("text=Show secret");
  await p.click("#reveal-secret");
  await p.click("text=Delete…");
  await p.evaluate(() =>
    document.querySelector(".danger-zone")?.scrollIntoView(),
  );
  await shot(p, `11-details-lower-${scheme}`);
}

p = await page("");
await p.click("#settings-button");
await p.waitForSelector("#auto-lock");
await p.waitForTimeout(200);
await shot(p, "12-settings");

p = await page("?accounts=1000", "light");
await p.waitForSelector("[data-account-id]");
const t = await p.evaluate(async () => {
  const input = document.getElementById("search");
  const times = [];
  for (const q of ["i", "is", "iss", "issuer 9", "issuer 99", "user1"]) {
    const t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => r()));
    times.push(performance.now() - t0);
  }
  return times;
});
console.log(
  "1,000 accounts, keystroke to next frame (ms):",
  t.map((x) => x.toFixed(1)).join(" "),
);
await shot(p, "13-thousand");

await browser.close();
