import { getSetting } from "@/lib/data/settings";
import { isAddressInList, parseAddressList } from "@/lib/protocol/net/address-list";

/** Whether `address` is in the metricsAllowFrom setting (Settings → API tokens). */
export async function isMetricsAddressAllowed(address: string): Promise<boolean> {
  const allowList = parseAddressList(await getSetting("metricsAllowFrom"));
  return allowList.ok && isAddressInList(allowList.entries, address);
}
