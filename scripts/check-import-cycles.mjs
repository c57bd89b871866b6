/**
 * Fails when folders of lib/ import each other in a cycle (run by `npm run lint`). The layer rule
 * in eslint.config.mjs keeps imports pointing down between layers; this keeps the folders inside
 * a layer (lib/domain/certificates, lib/domain/deploy …) in an order too, so each can be read,
 * tested and changed knowing only the folders below it. Tests are left out: they may reach across.
 * Node built-ins only.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lib = path.join(root, "lib");

/** lib/domain/certificates/x.ts → "domain/certificates"; lib/jobs/runner.ts → "jobs". */
function folderOf(file) {
  const parts = path.relative(lib, file).split(path.sep);
  return parts.length > 2 ? parts.slice(0, 2).join("/") : parts[0];
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

const edges = new Map();
for (const file of sourceFiles(lib)) {
  const from = folderOf(file);
  for (const [, target] of readFileSync(file, "utf8").matchAll(/from\s+["']@\/lib\/([^"']+)["']/g)) {
    const to = folderOf(path.join(lib, `${target}.ts`));
    if (to === from || to.startsWith("generated")) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from).set(to, path.relative(root, file));
  }
}

/** Tarjan's strongly connected components: every component of more than one folder is a cycle. */
function cycles() {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component);
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

const found = cycles();
if (found.length === 0) {
  console.log(`lib/: ${edges.size} folders, no import cycles between them`);
} else {
  for (const component of found) {
    console.error(`Import cycle between lib/ folders: ${component.join(", ")}`);
    for (const from of component) {
      for (const [to, file] of edges.get(from) ?? []) if (component.includes(to)) console.error(`  ${from} → ${to} (e.g. ${file})`);
    }
  }
  console.error("Move the shared piece into the lower folder, or pass it in as a parameter.");
  process.exit(1);
}
