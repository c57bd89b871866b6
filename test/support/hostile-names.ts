/**
 * The 22 names of issue #13 that were accepted as certificate names, and a few more of the same
 * kinds. On an account that is not on a private network every one is refused; on a lab account
 * only the loopback and private ones (LAB_ALLOWED) are names.
 */
export const HOSTILE_NAMES = [
  "127.0.0.1",
  "0.0.0.0",
  "::",
  "255.255.255.255",
  "224.0.0.1",
  "ff02::1",
  "fe80::1",
  "169.254.169.254",
  "::ffff:127.0.0.1",
  "[::1]",
  "exаmple.com",
  "example.com⁄evil.com",
  "example.com∕evil.com",
  "раураl.com",
  "аррӏе.com",
  "ɡoogle.com",
  "10.0.0.1",
  "fd00::1",
  "2001:db8::1",
  "foo.localhost",
  "64:ff9b::7f00:1",
  "😀.example.com",
  "fd00:ec2::254",
  "100.64.0.1",
  "::ffff:169.254.169.254",
  "240.0.0.1",
] as const;

/** The entries an account on a private network may use as names (loopback and private addresses, *.localhost). */
export const LAB_ALLOWED = new Set(["127.0.0.1", "[::1]", "10.0.0.1", "fd00::1", "2001:db8::1", "foo.localhost", "100.64.0.1"]);
