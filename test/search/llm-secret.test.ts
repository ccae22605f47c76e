import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect, promisify } from "node:util";
import { createLlmClient, proposeWithRepair } from "../../src/search/llm/index.ts";
import { startFakeLlmServer } from "../helpers/fake-llm-server.ts";

const SECRET = "sk-test-SECRET123";
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath ?? (e as { path: string }).path, e.name);
    if (fs.readFileSync(p).includes(needle)) hits.push(p);
  }
  return hits;
}

for (const protocol of ["openai", "anthropic"] as const) {
  test(`${protocol}: a refused key appears in no error text, inspection or stack`, async () => {
    // the server echoes the key it got in its 401 body, as a careless proxy would
    const s = await startFakeLlmServer({ protocol, script: [], apiKey: "sk-the-accepted-one" });
    const env = `KILN_TEST_SECRET_${protocol.toUpperCase()}_${process.pid}`;
    process.env[env] = SECRET;
    try {
      const client = createLlmClient({ provider: protocol, model: "m", baseUrl: s.baseUrl, apiKeyEnv: env });
      assert.ok(!client.describe().includes(SECRET));
      assert.ok(!inspect(client, { depth: 10 }).includes(SECRET));
      const r = await proposeWithRepair({
        client,
        system: "s",
        user: "u",
        parse: () => ({ ok: false, error: "unused" }),
        maxRepairs: 1,
      });
      assert.equal(r.failure?.kind, "transport");
      const e = r.failure?.kind === "transport" ? r.failure.error : undefined;
      assert.ok(e);
      assert.equal(s.requests[0].headers.authorization, `Bearer ${SECRET}`, "the key was really sent");
      const texts = [
        e.message,
        e.stack ?? "",
        inspect(e, { depth: 20, showHidden: true }),
        JSON.stringify(e),
        inspect(r, { depth: 20 }),
      ];
      for (const t of texts) assert.ok(!t.includes(SECRET), `the secret leaked into: ${t.slice(0, 300)}`);
      assert.match(e.message, /was refused \(HTTP 401\)/);
      assert.match(e.message, /\[redacted\]/, "the echoed key was there to scrub");
    } finally {
      delete process.env[env];
      await s.close();
    }
  });
}

test("a failing call in a fresh process writes the key to no file and no output, even with SDK debug logging asked for", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const home = path.join(root, "home");
  const tmp = path.join(root, "tmp");
  const cwd = path.join(root, "cwd");
  for (const d of [home, tmp, cwd]) fs.mkdirSync(d);
  const servers = await Promise.all(
    (["openai", "anthropic"] as const).map((protocol) =>
      startFakeLlmServer({ protocol, script: [], apiKey: "sk-the-accepted-one" }),
    ),
  );
  const script = path.join(cwd, "call.mts");
  fs.writeFileSync(
    script,
    [
      `import { createLlmClient } from ${JSON.stringify(pathToFileURL(path.join(REPO, "src/search/llm/index.ts")).href)};`,
      `for (const [provider, baseUrl] of [["openai", process.argv[2]], ["anthropic", process.argv[3]]] as const) {`,
      `  const c = createLlmClient({ provider, model: "m", baseUrl, apiKeyEnv: "KILN_CHILD_KEY", maxRetries: 1 }, { sleep: async () => {} });`,
      `  console.log(c.describe());`,
      `  try { await c.complete([{ role: "user", content: "hi" }]); } catch (e) { console.error(e); console.error(String((e as Error).stack)); }`,
      `}`,
    ].join("\n"),
  );
  try {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      TMPDIR: tmp,
      KILN_CHILD_KEY: SECRET,
      OPENAI_LOG: "debug",
      ANTHROPIC_LOG: "debug",
    };
    const tsx = pathToFileURL(path.join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", tsx, script, servers[0].baseUrl, servers[1].baseUrl],
      { cwd, env, timeout: 60_000 },
    );
    assert.match(stderr, /the API key in env var KILN_CHILD_KEY was refused/, stderr);
    assert.equal((stderr.match(/was refused/g) ?? []).length >= 2, true, "both providers ran");
    assert.ok(!stdout.includes(SECRET), "stdout is clean");
    assert.ok(!stderr.includes(SECRET), "stderr is clean");
    assert.deepEqual(
      filesContaining(root, SECRET),
      [],
      "no file under HOME, TMPDIR or the working directory holds the key",
    );
    // the key did go where it belongs: the Authorization header of the requests
    assert.equal(servers[0].requests[0].headers.authorization, `Bearer ${SECRET}`);
    assert.equal(servers[1].requests[0].headers.authorization, `Bearer ${SECRET}`);
  } finally {
    for (const s of servers) await s.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
