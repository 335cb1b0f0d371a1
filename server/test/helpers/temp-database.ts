import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";

export interface TempDatabase extends DatabaseHandle {
  file: string;
  dispose(): Promise<void>;
}

/** A migrated SQLite database in a fresh temporary file. */
export async function createTempDatabase(): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "amo1c-test-"));
  const file = join(dir, "amo1c.db");
  const handle = createDatabase({ kind: "sqlite", file });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    file,
    async dispose() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
