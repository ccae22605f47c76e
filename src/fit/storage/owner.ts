import { randomBytes } from "node:crypto";
import os from "node:os";

/** This process's identity on the trials it runs: "host:pid:token" (token tells two storages in one process apart). */
export function makeOwner(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Is the process that owns a trial gone? true/false when it ran on this host (checked with signal 0),
 * undefined when it ran elsewhere (only a heartbeat age can tell then).
 */
export function ownerIsGone(owner: string | null | undefined): boolean | undefined {
  if (!owner) return undefined;
  const parts = owner.split(":");
  if (parts.length < 3) return undefined;
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, parts.length - 2).join(":");
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
