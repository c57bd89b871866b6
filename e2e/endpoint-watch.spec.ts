import { expect, test } from "@playwright/test";
import { startEndpointScenarios, type EndpointScenarios } from "../lib/testbed/tls-test-servers";

/**
 * The endpoint watch in the browser against the production build: local TLS servers started by
 * this spec (a valid certificate from a private CA, a wrong name, a closed port), added through
 * the Endpoints page, each shown with its status in plain words; the served chain, the overview's
 * tiles, Check now, a refused metadata address, the page at phone width, and removing.
 */
let scenarios: EndpointScenarios;

test.beforeAll(async () => {
  scenarios = await startEndpointScenarios("e2e-watch.example.test");
});
test.afterAll(async () => {
  await scenarios?.close();
});

test("watches endpoints added in the browser and shows each one's status", async ({ page }) => {
  const form = () => page.locator("form").filter({ has: page.getByRole("button", { name: "Watch endpoint" }) });
  const addEndpoint = async (fields: { address: string; serverName?: string; label?: string; caBundle?: boolean }) => {
    await page.goto("/endpoints");
    await form().getByLabel("Address").fill(fields.address);
    if (fields.serverName) await form().getByLabel("Server name (SNI, optional)").fill(fields.serverName);
    if (fields.label) await form().getByLabel("Label (optional)").fill(fields.label);
    if (fields.caBundle) await form().getByLabel("CA bundle (optional)").fill(scenarios.caBundlePem);
    await form().getByRole("button", { name: "Watch endpoint" }).click();
  };

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Endpoints" }).click();
  await expect(page).toHaveURL("/endpoints");
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();

  // A valid certificate from a private CA, trusted through the CA bundle: OK, with its served chain.
  await addEndpoint({ address: `127.0.0.1:${scenarios.valid.port}`, serverName: scenarios.name, label: "Shop e2e", caBundle: true });
  await expect(page).toHaveURL(/\/endpoints\/[a-z0-9]+$/);
  const validUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Shop e2e (e2e-watch.example.test at 127.0.0.1:${scenarios.valid.port})`);
  await expect(page.getByRole("heading", { level: 1 }).getByText("OK", { exact: true })).toBeVisible();
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    `127.0.0.1:${scenarios.valid.port} serves a valid, trusted certificate for e2e-watch.example.test until`,
  );
  await expect(page.getByText(/^expires in (29|30) days$/).first()).toBeVisible();
  const chain = page.locator("section").filter({ has: page.getByRole("heading", { name: "Served chain" }) });
  await expect(chain.getByText("e2e-watch.example.test", { exact: true })).toBeVisible();
  await expect(chain.getByText("CertDeck Test Intermediate", { exact: true })).toBeVisible();
  await expect(chain.getByText(`SHA-256 ${scenarios.certificates.valid.fingerprintSha256}`)).toBeVisible();

  // A certificate for other names, and a closed port: each in plain words.
  await addEndpoint({ address: `127.0.0.1:${scenarios.wrongName.port}`, serverName: scenarios.name, caBundle: true });
  await expect(page.getByRole("heading", { level: 1 }).getByText("Wrong name", { exact: true })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "It serves a certificate for wrong-name-a.example.test, wrong-name-b.example.test, not for e2e-watch.example.test.",
  );

  await addEndpoint({ address: `127.0.0.1:${scenarios.closedPort}`, label: "Closed e2e" });
  await expect(page.getByRole("heading", { level: 1 }).getByText("Refused", { exact: true })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(`Nothing listens on 127.0.0.1:${scenarios.closedPort} (connection refused).`);
  await expect(page.getByText("1 failed check")).toBeVisible();

  // A cloud metadata address is refused on its field, and nothing is added.
  await addEndpoint({ address: "169.254.169.254:443" });
  await expect(form().getByText("CertDeck does not connect to 169.254.169.254: it is a cloud metadata address.")).toBeVisible();
  await expect(form().getByLabel("Address")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL("/endpoints");

  // The list: problems first, each with its badge; Check now probes again.
  const list = page.locator("section").filter({ has: page.getByRole("heading", { name: "Watched endpoints" }) });
  const closed = list.getByRole("listitem", { name: `Closed e2e (127.0.0.1:${scenarios.closedPort})` });
  await expect(closed.getByText("Refused", { exact: true })).toBeVisible();
  const shop = list.getByRole("listitem", { name: `Shop e2e (e2e-watch.example.test at 127.0.0.1:${scenarios.valid.port})` });
  await expect(shop.getByText("OK", { exact: true })).toBeVisible();
  await expect(shop.getByText("issued by CertDeck Test Intermediate")).toBeVisible();
  await expect(shop.getByText(/^checked (now|\d+ seconds? ago)$/)).toBeVisible();
  await closed.getByRole("button", { name: /^Check now: Closed e2e/ }).click();
  await expect(closed.getByText("Refused", { exact: true })).toBeVisible();
  const closedUrl = (await closed.getByRole("link").first().getAttribute("href")) ?? "/endpoints";
  // The check runs in the action's request: its page counts the second failure once it returned.
  await expect(async () => {
    await page.goto(closedUrl);
    await expect(page.getByText("2 failed checks in a row")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // The overview counts them beside the certificates.
  await page.goto("/");
  const tiles = page.getByRole("region", { name: "Endpoints" });
  await expect(tiles.getByRole("link", { name: /Watched endpoints\s*\d+/ })).toBeVisible();
  const problems = Number((await tiles.getByRole("link", { name: /Endpoint problems/ }).textContent())?.replace(/\D/g, ""));
  expect(problems).toBeGreaterThanOrEqual(2);

  // At phone width the list and the form fit the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/endpoints");
  await expect(form().getByLabel("Address")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/screens/endpoints-390.png", fullPage: true });
  await page.goto(validUrl);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Removing stops the watch.
  await page.goto(validUrl);
  await page.getByRole("button", { name: /^Stop watching Shop e2e/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop watching", exact: true }).click();
  await expect(page).toHaveURL("/endpoints");
  await expect(page.getByRole("listitem", { name: /^Shop e2e/ })).toHaveCount(0);
});
