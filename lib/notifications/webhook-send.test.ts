import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "./webhook-send";

describe("isPrivateAddress", () => {
  it("refuses loopback, private, link-local (cloud metadata), shared and unspecified addresses, in IPv4 and IPv6", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it("lets public addresses through", () => {
    for (const address of ["93.184.215.14", "172.32.0.1", "8.8.8.8", "2606:4700::6810:85e5", "::ffff:8.8.8.8"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});
