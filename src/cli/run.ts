import { main } from "./main.ts";

// A closed pipe (e.g. `kiln --help | head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

await main(process.argv);
