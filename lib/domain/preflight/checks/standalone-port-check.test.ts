import assert from "node:assert/strict";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { findPortHolder, parseListeningInodes } from "@/lib/protocol/net/port-holder";
import { describePortInUse } from "./standalone-port-check";

// Recorded from a Debian host with nginx on port 80 (0x0050) and sshd on 22 (0x0016).
const PROC_NET_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18811 1 0000000000000000 100 0 0 10 0
   2: 0100007F:0050 0100007F:C350 01 00000000:00000000 00:00000000 00000000    33        0 55555 1 0000000000000000 20 4 30 10 -1
`;
const PROC_NET_TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41235 1 0000000000000000 100 0 0 10 0
`;

describe("the standalone port check", () => {
  it("finds the LISTEN sockets on a port, not the established ones", () => {
    assert.deepEqual(parseListeningInodes(PROC_NET_TCP, 80), ["41234"]);
    assert.deepEqual(parseListeningInodes(PROC_NET_TCP6, 80), ["41235"]);
    assert.deepEqual(parseListeningInodes(PROC_NET_TCP, 22), ["18811"]);
    assert.deepEqual(parseListeningInodes(PROC_NET_TCP, 443), []);
  });

  it("follows the socket inode to the process and its name", async () => {
    const proc = await mkdtemp(path.join(os.tmpdir(), "certdeck-proc-"));
    await mkdir(path.join(proc, "net"));
    await writeFile(path.join(proc, "net", "tcp"), PROC_NET_TCP);
    await writeFile(path.join(proc, "net", "tcp6"), PROC_NET_TCP6);
    for (const [pid, comm, sockets] of [
      ["812", "sshd", ["18811"]],
      ["1234", "nginx", ["41234", "41235"]],
    ] as const) {
      await mkdir(path.join(proc, pid, "fd"), { recursive: true });
      await writeFile(path.join(proc, pid, "comm"), `${comm}\n`);
      await symlink("/dev/null", path.join(proc, pid, "fd", "0"));
      for (const [index, inode] of sockets.entries()) await symlink(`socket:[${inode}]`, path.join(proc, pid, "fd", String(index + 3)));
    }
    assert.deepEqual(await findPortHolder(80, proc), { pid: 1234, command: "nginx" });
    assert.deepEqual(await findPortHolder(22, proc), { pid: 812, command: "sshd" });
    assert.equal(await findPortHolder(443, proc), null);
    assert.equal(await findPortHolder(80, path.join(proc, "missing")), null);
  });

  it("names the holder and advises against stopping it", () => {
    const named = describePortInUse(80, { pid: 1234, command: "nginx" });
    assert.equal(named.status, "fail");
    assert.equal(
      `${named.message} ${named.fix}`,
      `Port 80 is held by nginx (pid 1234). Don't stop nginx: switch this certificate to "served by CertDeck" and add the location block, or use the webroot method.`,
    );
    const unknown = describePortInUse(80, null);
    assert.equal(unknown.message, "Port 80 is held by another program.");
    assert.match(unknown.fix ?? "", /^Don't stop it: switch this certificate to "served by CertDeck"/);
  });
});
