import { KilnError } from "../../util/errors.ts";
import { InMemoryStorage } from "./memory.ts";
import { SqliteStorage } from "./sqlite.ts";
import type { Storage } from "./storage.ts";

/** Opens a storage from its URL: "memory", "sqlite:PATH" (or a path ending in .db/.sqlite/.sqlite3). */
export function openStorage(url: string): Storage {
  if (url === "memory" || url === "") return new InMemoryStorage();
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file.length === 0)
      throw new KilnError("the sqlite storage URL has no path", { hint: "use sqlite:PATH" });
    return new SqliteStorage(file);
  }
  if (/\.(db|sqlite3?)$/.test(url)) return new SqliteStorage(url);
  if (/^postgres(ql)?:/.test(url))
    throw new KilnError("PostgreSQL storage is not available yet", {
      where: url,
      hint: "use sqlite:PATH on one machine (the schema is ready for a PostgreSQL driver)",
    });
  throw new KilnError(`unknown storage "${url}"`, { hint: "use memory or sqlite:PATH" });
}
