import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { findFreePort } from "../lib/testbed/pebble-testbed";
import { HOSTILE_NAMES, LAB_ALLOWED } from "../test/support/hostile-names";
import { E2E_DATA_DIR, E2E_RUNTIME_DIR } from "./support/e2e-env";
import { ensurePebbleAccount } from "./support/accounts";

/*
 * Issue #13 through the real server (scripts/server.mjs and proxy.ts in front of the production
 * build), at the edges: whose address a request has, parallel sign-ins, forms that are too large
 * or sent from another site, hostile certificate names, a burst of Renew clicks, the data
 * directory's mode. Two extra servers on fresh data directories (without and with a trusted
 * proxy) keep the main one's throttle and settings out of it.
 */
test.describe.configure({ mode: "serial" });

const ADMIN_PASSWORD = "correct horse battery staple";

interface ExtraServer {
  baseUrl: string;
  dataDir: string;
  output: string[];
  stop(): Promise<void>;
}

/** scripts/server.mjs on a free port, a data directory created 0755 beforehand, /metrics open to 10.0.0.0/8 without a token. */
async function startServer(name: string, env: Record<string, string>): Promise<ExtraServer> {
  const dataDir = path.join(E2E_RUNTIME_DIR, `edges-${name}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755);
  const port = await findFreePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["scripts/server.mjs"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      CERTDECK_DATA_DIR: dataDir,
      CERTDECK_ADMIN_USER: "admin",
      CERTDECK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CERTDECK_METRICS_ALLOW_FROM: "10.0.0.0/8",
      CERTDECK_TRUSTED_PROXIES: "",
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
  });
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server ${name} did not start:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    dataDir,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function unescapeHtml(text: string): string {
  return text.replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

function readDatabase<T>(dataDir: string, read: (database: Database.Database) => T): T {
  const database = new Database(path.join(dataDir, "certdeck.db"), { readonly: true, fileMustExist: true });
  try {
    return read(database);
  } finally {
    database.close();
  }
}

/** The sign-in form's hidden fields, as a browser without JavaScript posts them (a server action). */
async function signInFormFields(request: APIRequestContext, baseUrl: string): Promise<Record<string, string>> {
  const html = await (await request.get(`${baseUrl}/login`)).text();
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const [, name, value = ""] of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) fields[name] = unescapeHtml(value);
  expect(
    Object.keys(fields).some((name) => name.startsWith("$ACTION_")),
    "the form posts to a server action",
  ).toBe(true);
  return fields;
}

/** A failed sign-in posted like the form without JavaScript; returns what the page said. */
async function postSignIn(
  request: APIRequestContext,
  baseUrl: string,
  fields: Record<string, string>,
  username: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await request.post(`${baseUrl}/login`, {
    headers: { origin: baseUrl, ...headers },
    multipart: { ...fields, username, password: "not the password at all" },
  });
  expect(response.status()).toBe(200);
  const html = await response.text();
  return /Too many sign-in attempts/.test(html) ? "throttled" : /Wrong user name or password/.test(html) ? "wrong" : html.slice(0, 200);
}

test.describe("the client's address, parallel sign-ins and the data directory, through the real server", () => {
  test("without a trusted proxy: the socket's address counts, whatever X-Forwarded-For says", async ({ request }) => {
    const server = await startServer("direct", {});
    try {
      // A data directory that existed with mode 0755 is made owner-only at start, and the log says so.
      expect((await stat(server.dataDir)).mode & 0o777).toBe(0o700);
      expect(server.output.join("")).toContain(
        `[certdeck] the data directory ${server.dataDir} was readable by other users (mode 0755): changed to 0700, owner only`,
      );

      const fields = await signInFormFields(request, server.baseUrl);
      // 12 wrong passwords for one user name at once: exactly 5 are checked, 7 refused unchecked.
      const burst = await Promise.all(Array.from({ length: 12 }, () => postSignIn(request, server.baseUrl, fields, "burst")));
      expect(burst.filter((outcome) => outcome === "wrong")).toHaveLength(5);
      expect(burst.filter((outcome) => outcome === "throttled")).toHaveLength(7);
      const audited = readDatabase(server.dataDir, (database) =>
        database.prepare("SELECT action, COUNT(*) AS count FROM AuditEvent WHERE target = 'burst' GROUP BY action ORDER BY action").all(),
      );
      expect(audited).toEqual([
        { action: "sign-in-failed", count: 5 },
        { action: "sign-in-throttled", count: 7 },
      ]);

      // Forged X-Forwarded-For: audited and throttled as 127.0.0.1. The burst's 12 failures and
      // 8 more reach the address's limit of 20, whatever address each request claims.
      for (let index = 0; index < 8; index++) {
        expect(await postSignIn(request, server.baseUrl, fields, `guess-${index}`, { "x-forwarded-for": `203.0.113.${250 - index}, 127.0.0.1` })).toBe("wrong");
      }
      expect(await postSignIn(request, server.baseUrl, fields, "fresh-name", { "x-forwarded-for": "198.51.100.9" })).toBe("throttled");
      const addresses = readDatabase(server.dataDir, (database) =>
        database.prepare("SELECT DISTINCT ip FROM AuditEvent WHERE action IN ('sign-in-failed', 'sign-in-throttled')").all(),
      );
      expect(addresses).toEqual([{ ip: "127.0.0.1" }]);
      expect(readDatabase(server.dataDir, (database) => database.prepare("SELECT DISTINCT ip FROM LoginAttempt").all())).toEqual([{ ip: "127.0.0.1" }]);

      // The metrics allow-list (10.0.0.0/8) is not opened by a header anyone can send.
      for (const forwarded of ["10.0.0.5", "127.0.0.1, 10.0.0.5"]) {
        const metrics = await request.get(`${server.baseUrl}/metrics`, { headers: { "x-forwarded-for": forwarded } });
        expect(metrics.status(), forwarded).toBe(401);
      }
      const peer = await request.get(`${server.baseUrl}/metrics`, { headers: { "x-certdeck-peer": "10.0.0.5" } });
      expect(peer.status(), "the peer header is the server's own, replaced on every request").toBe(401);
    } finally {
      await server.stop();
    }
  });

  test("behind a trusted proxy (CERTDECK_TRUSTED_PROXIES=127.0.0.1): the right-most hop it does not trust is the client", async ({ request }) => {
    const server = await startServer("proxied", { CERTDECK_TRUSTED_PROXIES: "127.0.0.1" });
    try {
      const fields = await signInFormFields(request, server.baseUrl);
      expect(await postSignIn(request, server.baseUrl, fields, "via-proxy-1", { "x-forwarded-for": "203.0.113.250, 127.0.0.1" })).toBe("wrong");
      // A client that writes its own X-Forwarded-For: the proxy appends the address it saw, and that one counts.
      expect(await postSignIn(request, server.baseUrl, fields, "via-proxy-2", { "x-forwarded-for": "10.9.9.9, 198.51.100.7" })).toBe("wrong");
      const audited = readDatabase(server.dataDir, (database) =>
        database.prepare("SELECT target, ip FROM AuditEvent WHERE action = 'sign-in-failed' ORDER BY id").all(),
      );
      expect(audited).toEqual([
        { target: "via-proxy-1", ip: "203.0.113.250" },
        { target: "via-proxy-2", ip: "198.51.100.7" },
      ]);

      expect((await request.get(`${server.baseUrl}/metrics`, { headers: { "x-forwarded-for": "10.0.0.5" } })).status()).toBe(200);
      expect((await request.get(`${server.baseUrl}/metrics`, { headers: { "x-forwarded-for": "10.0.0.5, 203.0.113.9" } })).status()).toBe(401);
      expect((await request.get(`${server.baseUrl}/metrics`)).status(), "the proxy itself is not a client in the list").toBe(401);
    } finally {
      await server.stop();
    }
  });
});

test.describe("forms refused before they run, hostile names, and a burst of Renew clicks (main server)", () => {
  const ACCOUNT = "Pebble (security edges spec)";
  const countRows = (sql: string, ...parameters: unknown[]) =>
    readDatabase(E2E_DATA_DIR, (database) => (database.prepare(sql).get(...parameters) as { count: number }).count);

  /** The add form (signed in as the setup project's administrator) with this spec's lab account chosen. */
  async function openAddForm(page: Page) {
    await ensurePebbleAccount(page, ACCOUNT);
    await page.goto("/certificates/new");
    await page.getByLabel("ACME account").selectOption({ label: ACCOUNT });
  }

  test("a form over 1 MB is answered 413 with a sentence, not 500, and stores nothing", async ({ page }) => {
    await openAddForm(page);
    const before = countRows("SELECT COUNT(*) AS count FROM Certificate");
    // A name list over 1 MB (as pasted; set directly, since typing a megabyte takes minutes).
    const names = Array.from({ length: 20 }, (_, index) => `${"a".repeat(60_000)}${index}.example.test`).join("\n");
    expect(names.length).toBeGreaterThan(1024 * 1024);
    await page.getByLabel("Names").evaluate((textarea, value) => void ((textarea as HTMLTextAreaElement).value = value), names);
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.request().method() === "POST" && candidate.url().endsWith("/certificates/new")),
      page.getByRole("button", { name: "Add and issue" }).click(),
    ]);
    expect(response.status()).toBe(413);
    await expect(page.getByText("The form is larger than 1 MB, more than CertDeck accepts at once: nothing was saved.", { exact: false })).toBeVisible();
    expect(countRows("SELECT COUNT(*) AS count FROM Certificate")).toBe(before);
  });

  test("a server action replayed from another site is refused with 403 and changes nothing", async ({ page, request }) => {
    await openAddForm(page);
    // Capture what the browser sends for "Add and issue", without letting it through.
    let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
    await page.route("**/certificates/new", async (route) => {
      const sent = route.request();
      if (sent.method() === "POST" && sent.headers()["next-action"]) {
        captured = { url: sent.url(), headers: await sent.allHeaders(), body: sent.postDataBuffer()! };
        await route.abort();
      } else {
        await route.continue();
      }
    });
    await page.getByLabel("Names").fill("replayed.example.test");
    await page.getByRole("button", { name: "Add and issue" }).click();
    await expect.poll(() => captured !== undefined).toBe(true);
    await page.unroute("**/certificates/new");

    // Everything the browser sent but the host and length, which the replaying client sets itself.
    const headers = Object.fromEntries(Object.entries(captured!.headers).filter(([name]) => name !== "host" && name !== "content-length"));
    const cookie = (await page.context().cookies()).map((entry) => `${entry.name}=${entry.value}`).join("; ");
    const replay = await request.post(captured!.url, { headers: { ...headers, cookie, origin: "https://evil.example" }, data: captured!.body });
    expect(replay.status()).toBe(403);
    expect(await replay.text()).toBe(
      "This form was sent from another site (https://evil.example), not from a CertDeck page: refused, nothing was changed. Open CertDeck at its own address and submit the form there.",
    );
    expect(countRows("SELECT COUNT(*) AS count FROM Certificate WHERE name = 'replayed.example.test'")).toBe(0);
    // The same request from the page's own origin goes through (the refusal is the origin, not the replay).
    const genuine = await request.post(captured!.url, { headers: { ...headers, cookie, origin: new URL(captured!.url).origin }, data: captured!.body });
    expect(genuine.status()).toBe(200);
    expect(countRows("SELECT COUNT(*) AS count FROM Certificate WHERE name = 'replayed.example.test'")).toBe(1);
  });

  test("hostile names are refused through the browser form and through the server action posted without JavaScript, one message each", async ({ page }) => {
    const refusedEverywhere = HOSTILE_NAMES.filter((name) => !LAB_ALLOWED.has(name));
    const before = countRows("SELECT COUNT(*) AS count FROM Certificate");
    // This spec's Pebble account is on a private network: loopback and private addresses are names
    // for it (the REST API test covers an account that is not); these are refused for every account.
    await ensurePebbleAccount(page, ACCOUNT);
    await page.goto("/accounts");
    await expect(page.getByText("Private network", { exact: true }).first()).toBeVisible();
    await openAddForm(page);
    await page.getByLabel("Names").fill(refusedEverywhere.join("\n"));
    await page.getByRole("button", { name: "Add and issue" }).click();
    for (const name of refusedEverywhere) await expect(page.getByText(`${JSON.stringify(name)}: `, { exact: false }).first()).toBeVisible();
    await expect(page).toHaveURL(/\/certificates\/new$/);

    // The same server action posted as a browser without JavaScript posts the form (the
    // dashboard's pages stream, so such a browser cannot show them: the answer is read as HTML).
    const html = await (await page.request.get("/certificates/new")).text();
    const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].map((match) => match[1]).find((body) => body.includes('name="names"'));
    expect(form, "the add form is in the page").toBeTruthy();
    const fields: Record<string, string> = {};
    for (const [, name, value = ""] of form!.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) fields[name] = unescapeHtml(value);
    expect(
      Object.keys(fields).some((name) => name.startsWith("$ACTION_")),
      "the form posts to a server action",
    ).toBe(true);
    const accountId = /<select[^>]*name="accountId"[^>]*>[\s\S]*?<option value="([^"]+)"/.exec(form!)?.[1];
    expect(accountId).toBeTruthy();
    const response = await page.request.post("/certificates/new", {
      headers: { origin: new URL(page.url()).origin },
      multipart: { ...fields, names: refusedEverywhere.join("\n"), accountId: accountId!, keyType: "ec-p256", challengeMethod: "http-01-app" },
    });
    expect(response.status()).toBe(200);
    const answer = unescapeHtml(await response.text());
    for (const name of refusedEverywhere) expect(answer, name).toContain(`${JSON.stringify(name)}: `);
    expect(countRows("SELECT COUNT(*) AS count FROM Certificate")).toBe(before);
  });

  test("Renew right after a renewal asks 'Renewed a moment ago — renew again?' instead of ordering again", async ({ page }) => {
    await openAddForm(page);
    await page.getByLabel("Names").fill("edges.example.test");
    await page.getByRole("button", { name: "Add and issue" }).click();
    await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
    await expect(page.getByText("Succeeded").first()).toBeVisible({ timeout: 30_000 });
    const certificateId = new URL(page.url()).pathname.split("/").pop()!;
    const renewals = () => countRows("SELECT COUNT(*) AS count FROM Job WHERE certificateId = ? AND type = 'renew'", certificateId);

    await page.getByRole("button", { name: "Renew", exact: true }).click();
    await expect
      .poll(() => countRows("SELECT COUNT(*) AS count FROM Job WHERE certificateId = ? AND type = 'renew' AND status = 'succeeded'", certificateId), {
        timeout: 30_000,
      })
      .toBe(1);
    await page.reload();
    await expect(page.getByRole("button", { name: "Renew", exact: true })).toBeEnabled();
    await page.getByRole("button", { name: "Renew", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Renewed a moment ago — renew again?" })).toBeVisible();
    expect(renewals()).toBe(1);

    await page.getByRole("button", { name: "Renew edges.example.test again" }).click();
    await expect.poll(renewals, { timeout: 15_000 }).toBe(2);
  });
});
