import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type Locator, type Page, type TestInfo } from "@playwright/test";
import { listAppRoutes } from "./support/route-tree";
import { SIGNED_OUT } from "./support/session";
import { E2E_PEBBLE_INFO, type PebbleInfo } from "./support/e2e-env";

/**
 * Every page of the app at a phone's width (390 × 844) and a laptop's (1280 × 800): no sideways
 * scrolling, every control reachable without it, every input labelled, "Skip to content" first
 * in the tab order, screenshots of both widths (light and dark) attached to the report. The
 * pages come from the route tree (e2e/support/route-tree.ts), so a new page is covered without
 * anyone listing it; a new page with an [id] fails here until it gets a real id below.
 *
 * The spec makes its own data (a Pebble account, an issued and a failed certificate, a manual
 * DNS provider) and removes the certificates and the provider at the end.
 */
test.describe.configure({ mode: "serial" });

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

const ISSUED = "layout.example.test";
const FAILING = "layout-failing.example.test";
const PROVIDER = "Layout check";
const WAITING = "layout-manual.example.test";

const pages = listAppRoutes().filter((route) => route.kind === "page");
/** The URLs of the pages with an [id], filled in by the setup below. */
const realUrls = new Map<string, string[]>();
let pebble: PebbleInfo;
/** The signed-in session, shared by the page checks (one sign-in, not one per page). */
let session: Awaited<ReturnType<BrowserContext["storageState"]>>;

async function challtestsrv(endpoint: string, body: unknown) {
  const response = await fetch(`${pebble.challtestsrvManagementUrl}${endpoint}`, { method: "POST", body: JSON.stringify(body) });
  expect(response.ok, `${endpoint} answered ${response.status}`).toBe(true);
}

/** What a page's layout must satisfy at the current viewport; returns problems as sentences. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const scrollWidth = document.scrollingElement?.scrollWidth ?? 0;
    if (scrollWidth > width) problems.push(`the page is ${scrollWidth} px wide at ${width} px: it scrolls sideways`);
    const isShown = (element: Element) => {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) return false;
      const style = getComputedStyle(element);
      return style.visibility !== "hidden" && element.closest("details:not([open]) > :not(summary)") === null;
    };
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()} "${(element.getAttribute("aria-label") ?? element.textContent ?? (element as HTMLInputElement).name ?? "").trim().slice(0, 60)}"`;
    const controls = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")].filter(isShown);
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      // sr-only text (1 px, clipped) counts as where it is; anything else must be on the screen's width.
      if (box.left < -1 || box.right > width + 1)
        problems.push(`${describe(control)} is at x ${Math.round(box.left)}–${Math.round(box.right)}, off the ${width} px screen`);
    }
    // Nothing sticks out of its card (content may scroll inside a box of its own, such as a table's).
    const scrolls = (element: Element) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(element).overflowX);
    for (const card of document.querySelectorAll("main section")) {
      const edge = card.getBoundingClientRect().right;
      const sticking = [...card.querySelectorAll("*")].find((element) => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.right <= edge + 1) return false;
        for (let parent = element.parentElement; parent && parent !== card; parent = parent.parentElement) if (scrolls(parent)) return false;
        return true;
      });
      if (sticking) problems.push(`${describe(sticking)} sticks out of its card by ${Math.round(sticking.getBoundingClientRect().right - edge)} px`);
    }
    for (const input of controls.filter((control) => control.matches("input, select, textarea")) as Array<HTMLInputElement>) {
      const named = (input.labels?.length ?? 0) > 0 || input.getAttribute("aria-label") || input.getAttribute("aria-labelledby") || input.title;
      if (!named) problems.push(`${describe(input)} (${input.id || input.name}) has no label`);
    }
    // "Skip to content" is the first thing Tab reaches, and leads to the page's <main>.
    const tabbable = [...document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]")].filter(
      (element) => element.tabIndex >= 0 && !(element as HTMLButtonElement).disabled,
    );
    const first = tabbable[0];
    if (!first || first.textContent?.trim() !== "Skip to content")
      problems.push(`the first stop of Tab is ${first ? describe(first) : "nothing"}, not "Skip to content"`);
    else if (!document.querySelector(`main${first.getAttribute("href")}`))
      problems.push(`"Skip to content" points at ${first.getAttribute("href")}, which is not the page's <main>`);
    return problems;
  });
}

/**
 * Full-page screenshots in the light and the dark scheme, attached to the report; also written
 * to E2E_SCREENS_DIR when that is set (to look at them without the HTML report).
 */
async function attachScreenshots(page: Page, testInfo: TestInfo, name: string, width: number) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await attachScreenshot(page, testInfo, `${name} at ${width} px (${scheme})`, `${name}-${width}-${scheme}`, true);
  }
  await page.emulateMedia({ colorScheme: null });
}

async function attachScreenshot(page: Page, testInfo: TestInfo, title: string, fileName: string, isFullPage: boolean) {
  const body = await page.screenshot({ fullPage: isFullPage, animations: "disabled" });
  await testInfo.attach(title, { body, contentType: "image/png" });
  if (process.env.E2E_SCREENS_DIR) {
    await mkdir(process.env.E2E_SCREENS_DIR, { recursive: true });
    await writeFile(path.join(process.env.E2E_SCREENS_DIR, `${fileName}.png`), body);
  }
}

/** Reachable without sideways scrolling: scrolled to (vertically, as a reader would) and then wholly on the screen. */
async function expectOnScreen(locator: Locator) {
  await locator.scrollIntoViewIfNeeded();
  await expect(locator).toBeInViewport({ ratio: 1 });
}

function slug(url: string): string {
  return url === "/" ? "overview" : url.replace(/^\//, "").replace(/[^a-z0-9]+/gi, "-");
}

/** Opens `url` (signed in unless it is /login) at the viewport and waits for it to settle. */
async function open(browser: Browser, url: string, viewport: { width: number; height: number }, isSignedIn: boolean) {
  const context = await browser.newContext({ viewport, timezoneId: "UTC", storageState: isSignedIn ? session : SIGNED_OUT });
  const page = await context.newPage();
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  await page.waitForLoadState("networkidle");
  return { page, close: () => context.close() };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  pebble = JSON.parse(await readFile(E2E_PEBBLE_INFO, "utf8")) as PebbleInfo;
  const context = await browser.newContext();
  const page = await context.newPage();
  // Contexts start with the administrator's session (the setup project's).
  await page.goto("/");

  // An account at the local CA.
  await page.goto("/accounts");
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await page.getByRole("textbox", { name: "Directory URL" }).fill(pebble.directoryUrl);
  await page.getByLabel(/Trusted CA bundle/).fill(pebble.httpsCaPem);
  await page.getByLabel(/This CA is on my private network or this machine/).check();
  await page.getByLabel("Contact e-mail").fill("layout@example.test");
  await page.getByLabel("Name in CertDeck (optional)").fill("Layout Pebble");
  await page.getByLabel(/I have read and agree/).check();
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByText("Account added: the CA has registered it.")).toBeVisible({ timeout: 30_000 });

  // An issued certificate.
  await page.goto("/certificates/new");
  await page.getByLabel("ACME account").selectOption({ label: "Layout Pebble" });
  await page.getByLabel("Names").fill(`${ISSUED}\nwww.${ISSUED}`);
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
  const issuedUrl = new URL(page.url()).pathname;

  // One that never was: its name points elsewhere, so the pre-flight check stops the order.
  await challtestsrv("/add-a", { host: FAILING, addresses: ["127.0.0.2"] });
  await page.goto("/certificates/new");
  await page.getByLabel("ACME account").selectOption({ label: "Layout Pebble" });
  await page.getByLabel("Names").fill(FAILING);
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByRole("alert").filter({ hasText: "Pre-flight check failed" })).toBeVisible({ timeout: 30_000 });
  const failingUrl = new URL(page.url()).pathname;

  // A DNS provider.
  await page.goto("/settings/dns/new");
  await page.getByLabel("Name", { exact: true }).fill(PROVIDER);
  await page.getByLabel(/^Manual/).check();
  await page.getByRole("button", { name: "Add provider" }).click();
  await expect(page).toHaveURL(/\/settings\/dns\?saved=/);
  const providerId = new URL(page.url()).searchParams.get("saved")!;

  // One waiting for the operator: DNS-01 through the manual provider shows the records to create.
  await page.goto("/certificates/new");
  await page.getByLabel("ACME account").selectOption({ label: "Layout Pebble" });
  await page.getByLabel("Names").fill(WAITING);
  await page.getByLabel(/^DNS-01/).check();
  await page.getByLabel("DNS provider", { exact: true }).selectOption({ label: `${PROVIDER} (manual)` });
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByRole("region", { name: "Waiting for you: create these DNS records" })).toBeVisible({ timeout: 30_000 });
  const waitingUrl = new URL(page.url()).pathname;

  // A watched endpoint (nothing listens on port 9 here: it shows as refused).
  await page.goto("/endpoints");
  await page.getByLabel("Address").fill("127.0.0.1:9");
  await page.getByLabel("Label (optional)").fill("Layout endpoint");
  await page.getByRole("button", { name: "Watch endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/[a-z0-9]+$/);
  const endpointUrl = new URL(page.url()).pathname;

  // A deploy target.
  await page.goto("/settings/deploy-targets/new?type=command");
  await page.getByLabel("Name", { exact: true }).fill("Layout command");
  await page.getByLabel("Command", { exact: true }).fill("true");
  await page.getByRole("button", { name: "Add target" }).click();
  await expect(page).toHaveURL(/\/settings\/deploy-targets\/[a-z0-9]+\?saved=1$/);
  const targetUrl = new URL(page.url()).pathname;

  realUrls.set("/certificates/[id]", [issuedUrl, failingUrl, waitingUrl]);
  realUrls.set("/certificates/[id]/upload", [`${issuedUrl}/upload`]);
  realUrls.set("/endpoints/[id]", [endpointUrl]);
  realUrls.set("/settings/deploy-targets/[id]", [targetUrl]);
  realUrls.set("/settings/dns/[id]", [`/settings/dns/${providerId}`]);
  session = await context.storageState();
  await context.close();
});

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const url of realUrls.get("/certificates/[id]") ?? []) {
    await page.goto(url);
    // The whole page first: the waiting panel is above the danger zone.
    await expect(page.getByRole("heading", { name: "Danger zone" })).toBeVisible();
    const stopWaiting = page.getByRole("button", { name: "Stop waiting" });
    if (await stopWaiting.isVisible()) {
      await stopWaiting.click();
      await page.getByRole("dialog", { name: "Stop waiting for the DNS records?" }).getByRole("button", { name: "Stop waiting" }).click();
      await expect(page.getByRole("region", { name: "Waiting for you: create these DNS records" })).toBeHidden();
    }
    // Refused while a job is still queued or running (the stopped one ends a moment later): try again.
    await expect(async () => {
      await page.goto(url);
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete certificate" }).click();
      await expect(page).toHaveURL("/", { timeout: 2000 });
    }).toPass({ timeout: 30_000 });
  }
  await page.goto("/settings/dns");
  await page.getByRole("button", { name: `Delete ${PROVIDER}` }).click();
  await page
    .getByRole("dialog", { name: `Delete ${PROVIDER}?` })
    .getByRole("button", { name: "Delete provider" })
    .click();
  await expect(page.getByText(PROVIDER, { exact: true })).toHaveCount(0);
  await challtestsrv("/clear-a", { host: FAILING });
  await context.close();
});

for (const route of pages) {
  test(`${route.pattern} fits a phone and a laptop, keyboard first`, async ({ browser }, testInfo) => {
    const isDynamic = route.pattern.includes("[");
    const urls = isDynamic ? realUrls.get(route.pattern) : [route.url];
    expect(urls, `${route.file} has an [id]: give this spec a real one in its beforeAll`).toBeTruthy();
    const isSignedIn = route.pattern !== "/login";
    for (const url of urls!) {
      for (const viewport of [PHONE, LAPTOP]) {
        const { page, close } = await open(browser, url, viewport, isSignedIn);
        expect.soft(await layoutProblems(page), `${url} at ${viewport.width} px`).toEqual([]);
        await attachScreenshots(page, testInfo, slug(url), viewport.width);
        await close();
      }
    }
  });
}

test("at 390 px the overview lists certificates as cards, name, status and countdown first, with the same action as their page", async ({ browser }) => {
  const { page, close } = await open(browser, "/", PHONE, true);
  const cards = page.getByRole("list", { name: "Certificate list" });
  const issued = cards.getByRole("listitem").filter({ has: page.getByRole("link", { name: ISSUED, exact: true }) });
  const countdown = issued.getByText(/^expires in (89|90) days$/);
  await expectOnScreen(countdown);
  await expectOnScreen(issued.getByText("Valid", { exact: true }));
  await expectOnScreen(issued.getByRole("button", { name: `Renew ${ISSUED}` }));
  // Reading order: the name, then the status, then the countdown.
  const order = await issued.evaluate(
    (card, names) => {
      const text = card.textContent ?? "";
      return [text.indexOf(names.name), text.indexOf("Valid"), text.search(/expires in/)];
    },
    { name: ISSUED },
  );
  expect(order).toEqual([...order].sort((a, b) => a - b));

  // Never issued: "Try again", here and on its page.
  const failing = cards.getByRole("listitem").filter({ has: page.getByRole("link", { name: FAILING, exact: true }) });
  await expectOnScreen(failing.getByRole("button", { name: `Try again for ${FAILING}` }));
  await expect(failing.getByRole("button", { name: /^Renew/ })).toHaveCount(0);
  await failing.getByRole("link", { name: FAILING, exact: true }).click();
  await expectOnScreen(page.getByRole("button", { name: "Try again", exact: true }));
  await expect(page.getByRole("button", { name: "Renew", exact: true })).toHaveCount(0);
  // Its job log says why once: the line the job ends with, not also the line before it.
  const steps = page.getByRole("list", { name: "Job steps" }).first();
  await expect(steps.locator("li > span").filter({ hasText: `${FAILING} has A 127.0.0.2, but this host is 127.0.0.1.` })).toHaveCount(1);
  await close();

  // The same words in the laptop's table.
  const laptop = await open(browser, "/", LAPTOP, true);
  await expect(
    laptop.page.getByRole("row", { name: new RegExp(FAILING.replace(/\./g, "\\.")) }).getByRole("button", { name: `Try again for ${FAILING}` }),
  ).toBeVisible();
  await expect(
    laptop.page.getByRole("row", { name: new RegExp(`^${ISSUED.replace(/\./g, "\\.")}`) }).getByRole("button", { name: `Renew ${ISSUED}` }),
  ).toBeVisible();
  await laptop.close();
});

test("at 390 px the navigation is a top bar whose menu opens, names every section in full, and closes with Escape", async ({ browser }, testInfo) => {
  const { page, close } = await open(browser, "/", PHONE, true);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  for (const name of ["Certificates", "ACME accounts", "Audit log", "Settings"]) {
    const link = nav.getByRole("link", { name, exact: true });
    await expectOnScreen(link);
    // Not cut: the whole label fits its link.
    expect(await link.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  }
  await expectOnScreen(page.getByRole("button", { name: "Sign out" }));
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await attachScreenshot(page, testInfo, `menu open at 390 px (${scheme})`, `menu-open-390-${scheme}`, false);
  }
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // A section from the menu: the menu closes on the way.
  await menu.click();
  await nav.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(nav).toBeHidden();
  await close();
});

test("Skip to content is the first Tab stop and moves the focus past the navigation", async ({ browser }) => {
  for (const viewport of [PHONE, LAPTOP]) {
    const { page, close } = await open(browser, "/settings", viewport, true);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport({ ratio: 1 });
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    // The next Tab stop is inside the page, not the navigation.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
    await close();
  }
});

test("the certificate page shows facts, status and log first; its settings are closed sections, the danger zone last", async ({ browser }) => {
  const [issuedUrl] = realUrls.get("/certificates/[id]")!;
  const { page, close } = await open(browser, issuedUrl, LAPTOP, true);
  const facts = page.getByRole("heading", { name: "Certificate", exact: true });
  const log = page.getByRole("heading", { name: "Job log" });
  const settings = page.getByRole("heading", { name: "Settings", exact: true });
  const danger = page.getByRole("heading", { name: "Danger zone" });
  const top = async (locator: typeof facts) => (await locator.boundingBox())!.y;
  expect(await top(facts)).toBeLessThan(await top(settings));
  expect(await top(log)).toBeLessThan(await top(settings));
  expect(await top(settings)).toBeLessThan(await top(danger));
  await expect(facts).toBeInViewport({ ratio: 1 });
  await expect(log).toBeInViewport({ ratio: 1 });
  for (const section of ["Challenge settings", "Renewal and hooks", "Pull agents"]) {
    const heading = page.getByRole("heading", { name: section, exact: true });
    await expect(heading).toBeVisible();
    expect(await heading.evaluate((element) => element.closest("details")?.open), section).toBe(false);
  }
  // Opened from the keyboard.
  await page
    .locator("summary")
    .filter({ has: page.getByRole("heading", { name: "Renewal and hooks" }) })
    .focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Renew this many days before expiry")).toBeVisible();
  await close();

  // On a phone the log comes right after the facts, before the version history.
  const phone = await open(browser, issuedUrl, PHONE, true);
  const phoneTop = async (name: string) => (await phone.page.getByRole("heading", { name, exact: true }).boundingBox())!.y;
  expect(await phoneTop("Certificate")).toBeLessThan(await phoneTop("Job log"));
  expect(await phoneTop("Job log")).toBeLessThan(await phoneTop("Version history"));
  // The first screen: its countdown and actions without scrolling at all.
  await expect(phone.page.getByRole("button", { name: "Renew", exact: true })).toBeInViewport({ ratio: 1 });
  await expect(phone.page.getByRole("button", { name: "Test renewal" })).toBeInViewport({ ratio: 1 });
  await expect(phone.page.getByText(/^expires in (89|90) days$/).first()).toBeInViewport({ ratio: 1 });
  await phone.close();
});
