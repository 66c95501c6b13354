// The YAML language host that scripts/ensure-yaml-host.sh provides (and `with-toolchain.sh --pulumi`
// puts on PATH), run for real: a tiny `runtime: yaml` program through the real Pulumi CLI, in a
// private file:// backend. Without the host the CLI cannot run the program and this fails.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PulumiStack, run } from "../../harness/pulumi-stack";

const program = `name: yaml-host-check
runtime: yaml
description: No resources, only outputs, so the engine needs the YAML host and nothing else.
variables:
  who: world
outputs:
  greeting: hello
  message: hello, \${who}
`;

describe("toolchain: a Pulumi YAML program through the real CLI", function () {
  this.timeout(180_000);
  let programDir: string;
  let stack: PulumiStack;

  before(async () => {
    programDir = await mkdtemp(path.join(tmpdir(), "yaml-host-"));
    await writeFile(path.join(programDir, "Pulumi.yaml"), program);
    stack = await PulumiStack.create({ program: programDir });
  });
  after(async () => {
    await stack?.dispose();
    if (programDir) await rm(programDir, { recursive: true, force: true });
  });

  it("finds pulumi-language-yaml on PATH", async () => {
    // The CLI would say only that it has no `yaml` language plugin; this says where to look.
    const found = await run("bash", ["-c", "command -v pulumi-language-yaml"], programDir, process.env);
    assert.equal(
      found.code,
      0,
      "no pulumi-language-yaml on PATH: run the tests through `bash scripts/with-toolchain.sh --pulumi`",
    );
  });

  it("runs `pulumi up` and reads the program's outputs back", async () => {
    await stack.up(["--skip-preview"]);
    const greeting = await stack.cli(["stack", "output", "greeting", "--stack", stack.name]);
    assert.equal(greeting.stdout.trim(), "hello");
    const message = await stack.cli(["stack", "output", "message", "--stack", stack.name]);
    assert.equal(message.stdout.trim(), "hello, world");
  });
});
