import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "@/lib/core/app-error";
import { ConfSyntaxError, parseConfigObj, parseRenewalConf, planChallenge, renewBeforeDaysOf, type RenewalConf } from "./renewal-conf";

// Written by certbot 2.1.0 (Debian 12) against Pebble:
//   certbot certonly --standalone --http-01-port 45465 --http-01-address 127.0.0.1 \
//     -d a.example.test -d www.a.example.test --pre-hook "echo pre" --post-hook "echo post"
const STANDALONE_CONF = `# renew_before_expiry = 30 days
version = 2.1.0
archive_dir = /tmp/cbx/le/archive/a.example.test
cert = /tmp/cbx/le/live/a.example.test/cert.pem
privkey = /tmp/cbx/le/live/a.example.test/privkey.pem
chain = /tmp/cbx/le/live/a.example.test/chain.pem
fullchain = /tmp/cbx/le/live/a.example.test/fullchain.pem

# Options used in the renewal process
[renewalparams]
account = 29c6c95ac109565853f3a850880d5f27
http01_port = 45465
http01_address = 127.0.0.1
pre_hook = echo pre
post_hook = echo post
config_dir = /tmp/cbx/le
work_dir = /tmp/cbx/work
logs_dir = /tmp/cbx/logs
server = https://127.0.0.1:35589/dir
authenticator = standalone
key_type = ecdsa
`;

//   certbot certonly --webroot -w /tmp/cbx/www -d b.example.test \
//     --deploy-hook 'echo deployed $RENEWED_LINEAGE' --key-type rsa --rsa-key-size 3072
const WEBROOT_CONF = `# renew_before_expiry = 30 days
version = 2.1.0
archive_dir = /tmp/cbx/le/archive/b.example.test
cert = /tmp/cbx/le/live/b.example.test/cert.pem
privkey = /tmp/cbx/le/live/b.example.test/privkey.pem
chain = /tmp/cbx/le/live/b.example.test/chain.pem
fullchain = /tmp/cbx/le/live/b.example.test/fullchain.pem

# Options used in the renewal process
[renewalparams]
account = 29c6c95ac109565853f3a850880d5f27
rsa_key_size = 3072
key_type = rsa
renew_hook = echo deployed $RENEWED_LINEAGE
config_dir = /tmp/cbx/le
work_dir = /tmp/cbx/work
logs_dir = /tmp/cbx/logs
server = https://127.0.0.1:35589/dir
authenticator = webroot
webroot_path = /tmp/cbx/www,
[[webroot_map]]
b.example.test = /tmp/cbx/www
`;

//   certbot certonly --webroot -w /tmp/cbx/wwwc -d c.example.test -w /tmp/cbx/wwwd/ -d d.example.test \
//     --key-type ecdsa --elliptic-curve secp384r1 --deploy-hook "echo 'reload, now' # done" \
//     --post-hook " systemctl reload nginx" --cert-name multi --reuse-key --no-autorenew
const MULTI_WEBROOT_CONF = `# renew_before_expiry = 30 days
version = 2.1.0
archive_dir = /tmp/cbx/le2/archive/multi
cert = /tmp/cbx/le2/live/multi/cert.pem
privkey = /tmp/cbx/le2/live/multi/privkey.pem
chain = /tmp/cbx/le2/live/multi/chain.pem
fullchain = /tmp/cbx/le2/live/multi/fullchain.pem

# Options used in the renewal process
[renewalparams]
reuse_key = True
account = b62efbe18746a5bed6d75f4b70033e59
key_type = ecdsa
elliptic_curve = secp384r1
post_hook = " systemctl reload nginx"
renew_hook = "echo 'reload, now' # done"
autorenew = False
config_dir = /tmp/cbx/le2
work_dir = /tmp/cbx/work2
logs_dir = /tmp/cbx/logs2
server = https://127.0.0.1:33223/dir
authenticator = webroot
webroot_path = /tmp/cbx/wwwc, /tmp/cbx/wwwd
[[webroot_map]]
c.example.test = /tmp/cbx/wwwc
d.example.test = /tmp/cbx/wwwd
`;

describe("parseRenewalConf on confs certbot 2.1 wrote", () => {
  it("reads a standalone lineage: paths, account, server, port and the pre/post hooks", () => {
    const conf = parseRenewalConf(STANDALONE_CONF);
    assert.deepEqual(conf.paths, {
      cert: "/tmp/cbx/le/live/a.example.test/cert.pem",
      privkey: "/tmp/cbx/le/live/a.example.test/privkey.pem",
      chain: "/tmp/cbx/le/live/a.example.test/chain.pem",
      fullchain: "/tmp/cbx/le/live/a.example.test/fullchain.pem",
      archiveDir: "/tmp/cbx/le/archive/a.example.test",
    });
    assert.equal(conf.version, "2.1.0");
    assert.equal(conf.renewBeforeExpiry, undefined, "the commented-out default is not a setting");
    assert.equal(conf.authenticator, "standalone");
    assert.equal(conf.account, "29c6c95ac109565853f3a850880d5f27");
    assert.equal(conf.server, "https://127.0.0.1:35589/dir");
    assert.equal(conf.keyType, "ecdsa");
    assert.equal(conf.ellipticCurve, undefined);
    assert.equal(conf.http01Port, 45465);
    assert.equal(conf.http01Address, "127.0.0.1");
    assert.equal(conf.preHook, "echo pre");
    assert.equal(conf.postHook, "echo post");
    assert.equal(conf.deployHook, undefined);
    assert.equal(conf.configDir, "/tmp/cbx/le");
    assert.deepEqual(conf.webrootPaths, []);
    assert.equal(conf.autorenew, true);
    assert.equal(conf.reuseKey, false);
    assert.deepEqual(planChallenge(conf, ["a.example.test", "www.a.example.test"]), { method: "http-01-standalone", webrootPath: null });
  });

  it("reads a webroot lineage: the one-item list with its trailing comma, the map, and --deploy-hook saved as renew_hook", () => {
    const conf = parseRenewalConf(WEBROOT_CONF);
    assert.equal(conf.authenticator, "webroot");
    assert.deepEqual(conf.webrootPaths, ["/tmp/cbx/www"]);
    assert.deepEqual({ ...conf.webrootMap }, { "b.example.test": "/tmp/cbx/www" });
    assert.equal(conf.deployHook, "echo deployed $RENEWED_LINEAGE");
    assert.equal(conf.keyType, "rsa");
    assert.equal(conf.rsaKeySize, 3072);
    assert.equal(conf.http01Port, undefined);
    assert.deepEqual(planChallenge(conf, ["b.example.test"]), { method: "http-01-webroot", webrootPath: "/tmp/cbx/www" });
  });

  it("unquotes the values configobj quoted (a comma, a #, leading space) and reads booleans and the curve", () => {
    const conf = parseRenewalConf(MULTI_WEBROOT_CONF);
    assert.equal(conf.postHook, "systemctl reload nginx", "surrounding whitespace of a hook is dropped");
    assert.equal(conf.deployHook, "echo 'reload, now' # done");
    assert.equal(conf.ellipticCurve, "secp384r1");
    assert.equal(conf.reuseKey, true);
    assert.equal(conf.autorenew, false);
    assert.deepEqual(conf.webrootPaths, ["/tmp/cbx/wwwc", "/tmp/cbx/wwwd"]);
    assert.deepEqual({ ...conf.webrootMap }, { "c.example.test": "/tmp/cbx/wwwc", "d.example.test": "/tmp/cbx/wwwd" });
  });
});

describe("planChallenge", () => {
  const base = parseRenewalConf(WEBROOT_CONF);
  const withChanges = (changes: Partial<RenewalConf>): RenewalConf => ({ ...base, ...changes });

  it("refuses names spread over several webroots, naming each", () => {
    assert.throws(() => planChallenge(parseRenewalConf(MULTI_WEBROOT_CONF), ["c.example.test", "d.example.test"]), {
      name: "AppError",
      userMessage: /different webroot directories \(c\.example\.test → \/tmp\/cbx\/wwwc, d\.example\.test → \/tmp\/cbx\/wwwd\)/,
    });
  });

  it("falls back to the last webroot_path for a name missing from the map, as certbot does", () => {
    const plan = planChallenge(withChanges({ webrootMap: {}, webrootPaths: ["/srv/a", "/srv/b/"] }), ["b.example.test"]);
    assert.deepEqual(plan, { method: "http-01-webroot", webrootPath: "/srv/b" });
  });

  it("treats a trailing slash as the same directory", () => {
    const plan = planChallenge(withChanges({ webrootMap: { "a.test": "/srv/www/", "b.test": "/srv/www" }, webrootPaths: [] }), ["a.test", "b.test"]);
    assert.deepEqual(plan, { method: "http-01-webroot", webrootPath: "/srv/www" });
  });

  it("says which name has no webroot", () => {
    assert.throws(() => planChallenge(withChanges({ webrootMap: { "a.test": "/srv/www" }, webrootPaths: [] }), ["a.test", "b.test"]), {
      name: "AppError",
      userMessage: "it uses the webroot authenticator, but its renewal conf has no webroot directory for b.test",
    });
  });

  it("names the authenticator it cannot take over", () => {
    const reasonFor = (authenticator: string | undefined, names = ["b.example.test"]) => {
      try {
        planChallenge(withChanges({ authenticator }), names);
        return "";
      } catch (error) {
        assert.ok(error instanceof AppError, "refused with a message for the import's list");
        return error.userMessage;
      }
    };
    assert.match(reasonFor("dns-cloudflare"), /DNS plugin "dns-cloudflare": DNS-01 is not supported yet/);
    assert.match(reasonFor("certbot-dns-route53:dns-route53"), /DNS plugin "certbot-dns-route53:dns-route53"/);
    assert.match(reasonFor("nginx"), /certbot's nginx plugin/);
    assert.match(reasonFor("manual"), /manual authenticator/);
    assert.match(reasonFor("webroot-extra"), /the authenticator "webroot-extra"/);
    assert.match(reasonFor(undefined, []), /no authenticator/);
  });
});

describe("parseRenewalConf details", () => {
  it("reads None as unset, maps the ACME v1 server to v2 and keeps a deploy_hook key", () => {
    const conf = parseRenewalConf(
      [
        "[renewalparams]",
        "authenticator = standalone",
        "installer = None",
        "server = https://acme-v01.api.letsencrypt.org/directory",
        "deploy_hook = systemctl reload nginx",
        'pre_hook = ""',
      ].join("\n"),
    );
    assert.equal(conf.installer, undefined);
    assert.equal(conf.server, "https://acme-v02.api.letsencrypt.org/directory");
    assert.equal(conf.deployHook, "systemctl reload nginx");
    assert.equal(conf.preHook, undefined, "an empty hook is no hook");
  });

  it("defaults the server to Let's Encrypt when an old conf has none", () => {
    assert.equal(parseRenewalConf("[renewalparams]\nauthenticator = webroot\n").server, "https://acme-v02.api.letsencrypt.org/directory");
  });

  it("reads renew_before_expiry in days when the operator uncommented it", () => {
    const days = (value: string) => renewBeforeDaysOf(parseRenewalConf(`renew_before_expiry = ${value}\n[renewalparams]\n`));
    assert.equal(days("30 days"), 30);
    assert.equal(days("2 weeks"), 14);
    assert.equal(days("1 month"), 30);
    assert.equal(days("12 hours"), null);
    assert.equal(renewBeforeDaysOf(parseRenewalConf(STANDALONE_CONF)), null);
  });

  it("refuses a conf without [renewalparams] and a port that is not a number", () => {
    assert.throws(() => parseRenewalConf("cert = /x/cert.pem\n"), /no \[renewalparams\] section/);
    assert.throws(() => parseRenewalConf("[renewalparams]\nhttp01_port = eighty\n"), /http01_port is not a number/);
  });
});

describe("parseConfigObj", () => {
  it("parses lists, quotes, comments and nested sections", () => {
    const parsed = parseConfigObj(
      [
        "top = 1 # a comment",
        "'quoted key' = \"a, b\"",
        "empty =",
        "lone = ,",
        "list = a, 'b, c' , \"d # e\",",
        "inner = it's fine",
        "[one]",
        "  x = 1",
        "  [[two]]",
        "  y = 2",
        "[three]",
        'z = """has "both" \'quotes\' here""" # after',
        'multi = """first',
        'second"""',
      ].join("\n"),
    );
    assert.deepEqual({ ...parsed.values }, { top: "1", "quoted key": "a, b", empty: "", lone: [], list: ["a", "b, c", "d # e"], inner: "it's fine" });
    assert.deepEqual({ ...parsed.sections.one.values }, { x: "1" });
    assert.deepEqual({ ...parsed.sections.one.sections.two.values }, { y: "2" });
    assert.deepEqual({ ...parsed.sections.three.values }, { z: "has \"both\" 'quotes' here", multi: "first\nsecond" });
  });

  it("treats keys such as __proto__ as plain keys", () => {
    const parsed = parseConfigObj("__proto__ = x\nconstructor = y\n");
    assert.equal(parsed.values.__proto__, "x");
    assert.equal(parsed.values.constructor, "y");
  });

  it("reports the line of what configobj would refuse", () => {
    const error = (text: string) => {
      try {
        parseConfigObj(text);
      } catch (caught) {
        assert.ok(caught instanceof ConfSyntaxError);
        return caught.message;
      }
      return "parsed";
    };
    assert.equal(error("a = 1\nnot a pair"), "line 2: expected key = value");
    assert.equal(error("a = 1\na = 2"), 'line 2: duplicate key "a"');
    assert.equal(error("[[deep]]"), "line 1: subsection without a parent section");
    assert.equal(error("[open"), "line 1: invalid section header");
    assert.equal(error('a = "unclosed'), "line 1: a quoted value is never closed");
    assert.equal(error('a = "x" y'), "line 1: unexpected text after a quoted value");
    assert.equal(error("a = '''never"), "line 1: triple-quoted value is never closed");
  });
});
