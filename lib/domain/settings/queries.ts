import { getSetting, type SettingKey, type SettingValue } from "@/lib/data/settings";

/** The settings pages show and edit; the first-run setup code's hash is not among them. */
export type PageSettingKey = Exclude<SettingKey, "setupCodeHash">;

/**
 * Settings as pages show them (saved values, else their environment defaults, else the built-in
 * defaults): `await readSettings("maintenanceWindow", "hookTimeoutSeconds")`.
 */
export async function readSettings<const Keys extends PageSettingKey[]>(...keys: Keys): Promise<{ [K in Keys[number]]: SettingValue<K> }> {
  const values = await Promise.all(keys.map((key) => getSetting(key)));
  return Object.fromEntries(keys.map((key, index) => [key, values[index]])) as { [K in Keys[number]]: SettingValue<K> };
}
