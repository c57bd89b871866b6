/**
 * `npm run rotate-secret-key`: re-encrypts every secret in the database under a new master key.
 * Stop CertDeck first and back up the data directory. Honours CERTDECK_DATA_DIR.
 */
import { db } from "../lib/data/client";
import { rotateMasterKey } from "../lib/data/rotate-master-key";

try {
  const result = await rotateMasterKey();
  console.log(`Re-encrypted ${result.reencrypted} secrets under a new master key.`);
  if (result.keyFile) {
    console.log(`The new key is in ${result.keyFile}; the old one is kept as ${result.keyFile}.old: delete it once you have a backup of the new one.`);
  } else {
    console.log("Your key comes from CERTDECK_SECRET_KEY: set it to the new key below before starting CertDeck again.");
    console.log(`CERTDECK_SECRET_KEY=${result.newKeyBase64}`);
  }
} finally {
  await db.$disconnect();
}
