import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layers of lib/, lowest first. A file may import from its own layer and the layers below
 * it, never from a layer above. The README's "What is where" draws the same picture.
 *
 *   core → protocol → data → domain → jobs → web → app (app/, components/, proxy.ts)
 *
 * - core: the error type, configuration, dates; depends on nothing.
 * - protocol: ACME, DNS, X.509, certbot's file layout, TLS, SSH; talks to the world, knows no database.
 * - data: the Prisma client, settings, secrets at rest, the job queue's rows.
 * - domain: commands and queries per subject (certificates, accounts, deploy, …); no framework.
 * - jobs: typed job definitions, the runner, the scheduler.
 * - web: what Next.js needs (sessions, the REST API's plumbing, error mappings to HTTP and forms).
 */
const LAYERS = ["core", "protocol", "data", "domain", "jobs", "web"];

/** Import patterns a file in `layer` must not use: every layer above it, and the test tooling. */
function forbiddenAbove(layer) {
  const above = LAYERS.slice(LAYERS.indexOf(layer) + 1);
  return above.flatMap((name) => [`@/lib/${name}`, `@/lib/${name}/*`]);
}

const layerMessage = (layer) => `lib/${layer} may import only from its own layer and those below it (core → protocol → data → domain → jobs → web → app).`;

/** Folders are reached through "@/lib/…"; "../" would hide a crossing from the rules below. */
const noParentImports = { group: ["../*", "../../*", "../../../*"], message: "Import other folders as @/lib/…, so the layer rules see the crossing." };
const noTestbed = { group: ["@/lib/testbed", "@/lib/testbed/*"], message: "lib/testbed starts test servers: only tests, benchmarks and the demo use it." };
const noFramework = {
  group: ["next", "next/*", "react", "react-dom"],
  message: "Below lib/web nothing knows Next.js or React: take what you need as a parameter.",
};

const layerRules = LAYERS.map((layer) => ({
  files: [`lib/${layer}/**/*.{ts,tsx}`],
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          ...(layer === "web" ? [] : [{ group: forbiddenAbove(layer), message: layerMessage(layer) }]),
          { group: ["@/app/*", "@/components/*"], message: layerMessage(layer) },
          noParentImports,
          noTestbed,
          ...(layer === "web" ? [] : [noFramework]),
        ],
      },
    ],
  },
}));

/**
 * app/ and components/ are thin: they authenticate, parse, call a command or a query of
 * lib/domain, and map the result. The database, the audit writer and the job queue are reached
 * only through those.
 */
const thinAppRule = {
  files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: ["@/lib/data", "@/lib/data/*", "@/lib/generated/*", "@/lib/domain/audit/record-audit-event", "@/lib/jobs/*"],
            message:
              "app/ and components/ call commands and queries in lib/domain; they never reach the database, the audit writer or the job queue themselves.",
          },
          noTestbed,
        ],
      },
    ],
  },
};

const eslintConfig = defineConfig([
  ...nextVitals,
  ...nextTs,
  ...layerRules,
  thinAppRule,
  {
    files: ["lib/testbed/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*", "!@/lib/core", "!@/lib/core/*", "!@/lib/testbed", "!@/lib/testbed/*"],
              message: "Test servers depend on nothing of the app but lib/core.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", "lib/generated/**"]),
]);

export default eslintConfig;
