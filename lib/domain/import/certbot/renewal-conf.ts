/**
 * certbot's renewal configuration (`renewal/<name>.conf`): parsing and what it means for CertDeck.
 * Pure logic: Node built-ins and lib/core's AppError only.
 *
 * certbot writes these files with Python's configobj. What certbot 2.1 writes (captured from real
 * runs against Pebble; see renewal-conf.test.ts):
 *
 *   # renew_before_expiry = 30 days          <- a comment until the operator uncomments it
 *   version = 2.1.0
 *   archive_dir = /etc/letsencrypt/archive/example.com
 *   cert = /etc/letsencrypt/live/example.com/cert.pem
 *   privkey = …/privkey.pem   chain = …/chain.pem   fullchain = …/fullchain.pem
 *
 *   # Options used in the renewal process
 *   [renewalparams]
 *   account = 29c6c95ac109565853f3a850880d5f27
 *   rsa_key_size = 3072                      <- only when given on the command line
 *   key_type = ecdsa | rsa                   <- always written; elliptic_curve only when given
 *   pre_hook = …   post_hook = …   renew_hook = …   <- --deploy-hook is saved as renew_hook
 *   http01_port = 80   http01_address = …   <- standalone, when given
 *   config_dir = …   work_dir = …   logs_dir = …
 *   server = https://acme-v02.api.letsencrypt.org/directory   <- always written
 *   authenticator = standalone | webroot | nginx | apache | manual | dns-<provider>
 *   installer = nginx | apache | None
 *   webroot_path = /var/www/html,            <- a configobj list: the trailing comma makes it one
 *   [[webroot_map]]
 *   example.com = /var/www/html
 *
 * configobj syntax handled here: `#` comments (whole line or after a value), `[section]` and
 * `[[subsection]]` headers, `key = value` with quoted or unquoted keys, values that are unquoted,
 * single- or double-quoted (used when a value has a comma, a `#` or edge whitespace), triple-quoted
 * (possibly over several lines), and comma-separated lists (a trailing comma makes a one-item list).
 */
import { AppError } from "@/lib/core/app-error";

export type ConfValue = string | string[];

export interface ConfSection {
  values: Record<string, ConfValue>;
  sections: Record<string, ConfSection>;
}

export class ConfSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "ConfSyntaxError";
  }
}

const SECTION_HEADER = /^\s*(\[+)\s*(.*?)\s*(\]+)\s*(#.*)?$/;

/** Parses configobj text into nested sections. Throws ConfSyntaxError on text configobj refuses. */
export function parseConfigObj(text: string): ConfSection {
  const root = createSection();
  // stack[depth] is the section open at that depth; the root is depth 0.
  const stack: ConfSection[] = [root];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index];
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;

    if (trimmed.startsWith("[")) {
      const header = SECTION_HEADER.exec(line);
      if (!header) throw new ConfSyntaxError(lineNumber, "invalid section header");
      const depth = header[1].length;
      if (header[3].length !== depth) throw new ConfSyntaxError(lineNumber, "section header brackets do not match");
      if (depth > stack.length) throw new ConfSyntaxError(lineNumber, "subsection without a parent section");
      const name = unquoteKey(header[2]);
      if (!name) throw new ConfSyntaxError(lineNumber, "empty section name");
      const parent = stack[depth - 1];
      if (Object.hasOwn(parent.sections, name) || Object.hasOwn(parent.values, name)) throw new ConfSyntaxError(lineNumber, `duplicate section "${name}"`);
      const section = createSection();
      parent.sections[name] = section;
      stack.length = depth;
      stack.push(section);
      continue;
    }

    const equals = findKeySeparator(line);
    if (equals === -1) throw new ConfSyntaxError(lineNumber, "expected key = value");
    const key = unquoteKey(line.slice(0, equals).trim());
    if (!key) throw new ConfSyntaxError(lineNumber, "empty key");
    const section = stack[stack.length - 1];
    if (Object.hasOwn(section.values, key) || Object.hasOwn(section.sections, key)) throw new ConfSyntaxError(lineNumber, `duplicate key "${key}"`);

    const rawValue = line.slice(equals + 1);
    const triple = /^\s*('''|""")/.exec(rawValue);
    if (triple) {
      const parsed = readTripleQuoted(lines, index, rawValue.slice(triple[0].length), triple[1]);
      section.values[key] = parsed.value;
      index = parsed.lastLine;
      continue;
    }
    section.values[key] = parseValue(rawValue, lineNumber);
  }
  return root;
}

/** Prototype-less maps: a key such as "__proto__" or "constructor" is just a key. */
function createSection(): ConfSection {
  return { values: Object.create(null) as Record<string, ConfValue>, sections: Object.create(null) as Record<string, ConfSection> };
}

/** The `=` that ends the key: the first one outside a quoted key. */
function findKeySeparator(line: string): number {
  const start = line.search(/\S/);
  const quote = line[start];
  if (quote === '"' || quote === "'") {
    const close = line.indexOf(quote, start + 1);
    if (close === -1) return -1;
    return line.indexOf("=", close + 1);
  }
  return line.indexOf("=");
}

function unquoteKey(raw: string): string {
  const match = /^(["'])(.*)\1$/.exec(raw);
  return match ? match[2] : raw;
}

function readTripleQuoted(lines: string[], startIndex: number, rest: string, quote: string): { value: string; lastLine: number } {
  let text = rest;
  for (let index = startIndex; index < lines.length; index++) {
    if (index > startIndex) text += `\n${lines[index]}`;
    const close = text.indexOf(quote);
    if (close !== -1) {
      const after = text.slice(close + 3).trim();
      if (after !== "" && !after.startsWith("#")) throw new ConfSyntaxError(index + 1, "unexpected text after a triple-quoted value");
      return { value: text.slice(0, close), lastLine: index };
    }
  }
  throw new ConfSyntaxError(startIndex + 1, "triple-quoted value is never closed");
}

/**
 * One line's value: a single value or a comma-separated list of unquoted or quoted items,
 * optionally followed by a comment. A comma anywhere outside quotes makes it a list.
 */
function parseValue(raw: string, lineNumber: number): ConfValue {
  const items: string[] = [];
  let position = 0;
  let isList = false;
  const skipSpaces = () => {
    while (position < raw.length && /\s/.test(raw[position])) position++;
  };

  skipSpaces();
  if (position >= raw.length || raw[position] === "#") return "";
  for (;;) {
    skipSpaces();
    const char = raw[position];
    if (char === '"' || char === "'") {
      const close = raw.indexOf(char, position + 1);
      if (close === -1) throw new ConfSyntaxError(lineNumber, "a quoted value is never closed");
      items.push(raw.slice(position + 1, close));
      position = close + 1;
    } else if (char === ",") {
      // ", ," or a leading comma: configobj refuses an empty list item, except a lone "," (an empty list).
      if (
        items.length === 0 &&
        raw
          .slice(position + 1)
          .trim()
          .replace(/#.*$/, "")
          .trim() === ""
      )
        return [];
      throw new ConfSyntaxError(lineNumber, "empty item in a list");
    } else {
      let end = position;
      while (end < raw.length && raw[end] !== "," && raw[end] !== "#") end++;
      items.push(raw.slice(position, end).trimEnd());
      position = end;
    }
    skipSpaces();
    if (position >= raw.length || raw[position] === "#") break;
    if (raw[position] !== ",") throw new ConfSyntaxError(lineNumber, "unexpected text after a quoted value");
    isList = true;
    position++;
    skipSpaces();
    if (position >= raw.length || raw[position] === "#") break; // trailing comma
  }
  return isList ? items : items[0];
}

// ---- what a renewal conf means -----------------------------------------------------------------

/** certbot's default server, used when an old conf has none. */
export const CERTBOT_DEFAULT_SERVER = "https://acme-v02.api.letsencrypt.org/directory";
/** ACME v1 endpoints that certbot rewrites to the v2 default when it reads a conf. */
const V1_SERVERS = new Set(["https://acme-v01.api.letsencrypt.org/directory"]);

export interface RenewalConf {
  /** Top-level paths (absolute, as certbot wrote them) to the lineage's live files. */
  paths: { cert?: string; privkey?: string; chain?: string; fullchain?: string; archiveDir?: string };
  /** The certbot version that last wrote the file. */
  version?: string;
  /** `renew_before_expiry` when the operator set it (certbot ships it commented out), e.g. "30 days". */
  renewBeforeExpiry?: string;
  authenticator?: string;
  installer?: string;
  server: string;
  account?: string;
  keyType?: string;
  rsaKeySize?: number;
  ellipticCurve?: string;
  preHook?: string;
  postHook?: string;
  /** `renew_hook` (what certbot writes for --deploy-hook), or `deploy_hook` if a conf has that. */
  deployHook?: string;
  webrootPaths: string[];
  /** name -> webroot directory, from the `[[webroot_map]]` subsection. */
  webrootMap: Record<string, string>;
  http01Port?: number;
  http01Address?: string;
  /** certbot's own `--config-dir` when the lineage was written: the prefix of the paths above. */
  configDir?: string;
  reuseKey: boolean;
  /** false when the operator turned automatic renewal off for this lineage (--no-autorenew). */
  autorenew: boolean;
  preferredChain?: string;
  mustStaple: boolean;
}

/** configobj writes Python's None as the text "None"; certbot reads it back as unset. */
function asString(value: ConfValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(",") : value;
  return text === "None" ? undefined : text;
}

function asList(value: ConfValue | undefined): string[] {
  if (value === undefined || value === "None") return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== "");
}

function asInteger(value: ConfValue | undefined, key: string): number | undefined {
  const text = asString(value);
  if (text === undefined || text === "") return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`${key} is not a number ("${text}")`);
  return Number(text.trim());
}

function asBoolean(value: ConfValue | undefined, key: string, fallback: boolean): boolean {
  const text = asString(value)?.trim().toLowerCase();
  if (text === undefined || text === "") return fallback;
  if (["true", "yes", "on", "1"].includes(text)) return true;
  if (["false", "no", "off", "0"].includes(text)) return false;
  throw new Error(`${key} is not true or false ("${text}")`);
}

/** Reads a renewal conf. Throws (ConfSyntaxError or Error) with a short reason when it cannot. */
export function parseRenewalConf(text: string): RenewalConf {
  const root = parseConfigObj(text);
  const params = root.sections.renewalparams;
  if (!params) throw new Error("it has no [renewalparams] section");
  const value = (key: string) => params.values[key];
  const hook = (key: string) => {
    const hookValue = asString(value(key))?.trim();
    return hookValue ? hookValue : undefined;
  };
  let server = asString(value("server"))?.trim() || CERTBOT_DEFAULT_SERVER;
  if (V1_SERVERS.has(server)) server = CERTBOT_DEFAULT_SERVER;
  const webrootMapSection = params.sections.webroot_map;
  const webrootMap: Record<string, string> = Object.create(null);
  for (const [name, mapped] of Object.entries(webrootMapSection?.values ?? {})) {
    const directory = asString(mapped);
    if (directory) webrootMap[name.toLowerCase()] = directory;
  }

  return {
    paths: {
      cert: asString(root.values.cert),
      privkey: asString(root.values.privkey),
      chain: asString(root.values.chain),
      fullchain: asString(root.values.fullchain),
      archiveDir: asString(root.values.archive_dir),
    },
    version: asString(root.values.version),
    renewBeforeExpiry: asString(root.values.renew_before_expiry),
    authenticator: asString(value("authenticator"))?.trim() || undefined,
    installer: asString(value("installer"))?.trim() || undefined,
    server,
    account: asString(value("account"))?.trim() || undefined,
    keyType: asString(value("key_type"))?.trim() || undefined,
    rsaKeySize: asInteger(value("rsa_key_size"), "rsa_key_size"),
    ellipticCurve: asString(value("elliptic_curve"))?.trim() || undefined,
    preHook: hook("pre_hook"),
    postHook: hook("post_hook"),
    deployHook: hook("renew_hook") ?? hook("deploy_hook"),
    webrootPaths: asList(value("webroot_path")),
    webrootMap,
    http01Port: asInteger(value("http01_port"), "http01_port"),
    http01Address: asString(value("http01_address"))?.trim() || undefined,
    configDir: asString(value("config_dir"))?.trim() || undefined,
    reuseKey: asBoolean(value("reuse_key"), "reuse_key", false),
    autorenew: asBoolean(value("autorenew"), "autorenew", true),
    preferredChain: asString(value("preferred_chain"))?.trim() || undefined,
    mustStaple: asBoolean(value("must_staple"), "must_staple", false),
  };
}

/**
 * `renew_before_expiry` in whole days ("30 days", "2 weeks", "1 month" = 30 days), or null when
 * unset or given in a unit finer than a day (CertDeck then uses its own renewal window).
 */
export function renewBeforeDaysOf(conf: RenewalConf): number | null {
  const text = conf.renewBeforeExpiry?.trim().toLowerCase();
  if (!text) return null;
  const match = /^(\d+)\s*(d|days?|w|weeks?|months?)$/.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2];
  const days = unit.startsWith("w") ? amount * 7 : unit.startsWith("m") ? amount * 30 : amount;
  return days > 0 ? days : null;
}

/** How CertDeck answers the challenges for an imported lineage. */
export type ChallengePlan = { method: "http-01-standalone"; webrootPath: null } | { method: "http-01-webroot"; webrootPath: string };

/** Why a lineage cannot be taken over, in plain words (the import lists it as skipped). */
const cannotTakeOver = (reason: string) => new AppError("invalid_input", reason);

/**
 * Maps certbot's authenticator to a CertDeck challenge method. Webroot: every name must resolve to
 * one directory (the webroot_map entry for the name, else certbot's fallback, the last
 * webroot_path), because a CertDeck certificate has one webroot. AppError with the reason when
 * CertDeck cannot answer the way certbot did.
 */
export function planChallenge(conf: RenewalConf, names: string[]): ChallengePlan {
  const authenticator = conf.authenticator;
  if (!authenticator) throw cannotTakeOver("its renewal conf names no authenticator, so it is unclear how certbot proved control of the names");
  if (authenticator === "standalone") return { method: "http-01-standalone", webrootPath: null };
  if (authenticator === "webroot") {
    const fallback = conf.webrootPaths.at(-1);
    const byName = names.map((name) => ({ name, directory: conf.webrootMap[name.toLowerCase()] ?? fallback }));
    const unmapped = byName.filter((entry) => !entry.directory).map((entry) => entry.name);
    if (unmapped.length > 0) {
      throw cannotTakeOver(`it uses the webroot authenticator, but its renewal conf has no webroot directory for ${unmapped.join(", ")}`);
    }
    const directories = [...new Set(byName.map((entry) => entry.directory!.replace(/(.)\/+$/, "$1")))];
    if (directories.length > 1) {
      throw cannotTakeOver(
        `its names use different webroot directories (${byName.map((entry) => `${entry.name} → ${entry.directory}`).join(", ")}); a CertDeck certificate has one webroot, so split it into one certificate per directory`,
      );
    }
    if (!directories[0].startsWith("/")) {
      throw cannotTakeOver(`its webroot directory "${directories[0]}" is not an absolute path`);
    }
    return { method: "http-01-webroot", webrootPath: directories[0] };
  }
  if (/(^|:)dns(-|$)/.test(authenticator)) {
    throw cannotTakeOver(`it uses certbot's DNS plugin "${authenticator}": DNS-01 is not supported yet`);
  }
  if (authenticator === "nginx" || authenticator === "apache") {
    throw cannotTakeOver(
      `it uses certbot's ${authenticator} plugin, which CertDeck does not support yet: add the certificate in CertDeck with “served by CertDeck” and the ${authenticator === "nginx" ? "nginx location block" : "proxy rule"} it shows`,
    );
  }
  if (authenticator === "manual") {
    throw cannotTakeOver("it uses certbot's manual authenticator (challenges answered by hand or by a --manual-auth-hook), which CertDeck cannot take over");
  }
  throw cannotTakeOver(`it uses the authenticator "${authenticator}", which CertDeck does not support`);
}
