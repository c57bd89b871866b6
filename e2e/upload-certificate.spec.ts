import { expect, test } from "@playwright/test";
import { createTestCertificateAuthority } from "../lib/testbed/test-certificates";

/**
 * Issue #12 in the browser against the production build: a certificate issued elsewhere, pasted
 * as PEM, shown with its countdown and an "uploaded" badge, no ACME actions on its page; a key of
 * another certificate refused with its message; a newer version uploaded from its page. Also at
 * a phone's width.
 */
const DAY_MS = 24 * 3600_000;

test("uploads a PEM certificate, shows its countdown, refuses a wrong key and takes a newer version", async ({ page }) => {
  const root = await createTestCertificateAuthority("E2E Elsewhere Root");
  const intermediate = await root.createIntermediate("E2E Elsewhere CA");
  const now = Date.now();
  const first = await intermediate.issue({
    names: ["elsewhere.example.test", "www.elsewhere.example.test"],
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 45 * DAY_MS),
  });
  const stranger = await intermediate.issue({ names: ["stranger.example.test"] });

  await page.goto("/");
  await page.getByRole("link", { name: "Upload", exact: true }).click();
  await expect(page).toHaveURL(/\/certificates\/upload$/);
  await expect(page.getByRole("heading", { name: "Upload a certificate" })).toBeVisible();

  // A key that belongs to another certificate: refused, with its sentence under the field.
  const pem = page.getByLabel("Certificate, chain and private key");
  await pem.fill(`${first.certificatePem}${intermediate.certificatePem}${stranger.privateKeyPem}`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText(/^The private key belongs to another certificate: it does not match the certificate \(elsewhere\.example\.test\)/)).toBeVisible();
  await expect(pem).toHaveAttribute("aria-invalid", "true");

  await pem.fill(`${first.certificatePem}${intermediate.certificatePem}${first.privateKeyPem}`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("heading", { name: /elsewhere\.example\.test/ })).toBeVisible();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  const certificateUrl = page.url();
  expect(certificateUrl).not.toMatch(/\/upload$/);
  await expect(page.getByText(/^expires in 4[45] days$/).first()).toBeVisible();
  await expect(page.getByText("Uploaded — renew it where it was issued, then upload the new one")).toBeVisible();
  await expect(page.getByText("Uploaded", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Renew|Test renewal)$/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Deploy", exact: true })).toBeVisible();
  await expect(page.getByLabel("Renew this many days before expiry")).toHaveCount(0);

  // The overview: its countdown like any other certificate's, with the badge, and no Renew button.
  await page.goto("/?q=elsewhere");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "elsewhere.example.test" }) });
  await expect(row.getByText("uploaded", { exact: true })).toBeVisible();
  await expect(row.getByText(/^expires in 4[45] days$/)).toBeVisible();
  await expect(row.getByText("Valid")).toBeVisible();
  await expect(row.getByRole("button", { name: "Renew elsewhere.example.test" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/uploaded-certificate-overview.png", fullPage: true });

  // A newer version from its page.
  const newer = await intermediate.issue({
    names: ["elsewhere.example.test", "www.elsewhere.example.test"],
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 300 * DAY_MS),
  });
  await page.goto(certificateUrl);
  await page.getByRole("link", { name: "Upload a newer version" }).click();
  await expect(page.getByRole("heading", { name: "Upload a newer version" })).toBeVisible();
  await page
    .getByLabel("Certificate, chain and private key")
    .fill(`${newer.privateKeyPem}${newer.certificatePem}${intermediate.certificatePem}${root.certificatePem}`);
  await page.getByRole("button", { name: "Upload the newer version" }).click();
  await expect(page).toHaveURL(certificateUrl);
  await expect(page.getByText(/^expires in (299|300) days$/).first()).toBeVisible();
  await expect(page.getByText(/The root certificate \(E2E Elsewhere Root\) was left out/)).toBeVisible();
  const history = page.locator("section").filter({ has: page.getByRole("heading", { name: "Version history" }) });
  await expect(history.getByRole("row")).toHaveCount(3);
  await page.screenshot({ path: "test-results/screens/uploaded-certificate.png", fullPage: true });
});

test("the upload form works at a phone's width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/certificates/upload");
  await expect(page.getByRole("heading", { name: "Upload a certificate" })).toBeVisible();
  await page.getByLabel(/A PFX file/).check();
  await expect(page.getByLabel("PFX file", { exact: true })).toBeVisible();
  await expect(page.getByLabel("PFX password")).toBeVisible();
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Choose the .pfx or .p12 file")).toBeVisible();
  await expect(page.getByLabel(/A PFX file/)).toBeChecked();
  // Nothing of the form reaches past the screen's edge (the app's navigation is another matter).
  const widest = await page
    .locator("main form")
    .evaluate((form) => Math.max(...[form, ...form.querySelectorAll("*")].map((element) => element.getBoundingClientRect().right)));
  expect(widest).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/screens/upload-certificate-390.png", fullPage: true });
});
