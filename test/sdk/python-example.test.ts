// examples/python through the real Pulumi CLI against the emulator. There is no Python language
// host on this machine (the official one is not served by the Go module proxy), so the example's own
// __main__.py runs as an Automation API inline program (test/sdk/run_python_example.py: runpy of
// the file, the CLI driving it through the API's in-process language server), from the SDK's wheel
// in a clean venv (test/sdk/support.ts). The plugin comes from `zoho-watch plugin install` into a
// private PULUMI_HOME, the way docs/sdks.md tells Python users to get it. Real-CLI tier.
import path from "node:path";
import { repoRoot } from "../../harness/pulumi-stack";
import { exampleScenario } from "./example-scenario";
import { pythonSdkEnv } from "./support";

const EXAMPLE = path.join(repoRoot, "examples", "python", "__main__.py");
const RUNNER = path.join(repoRoot, "test", "sdk", "run_python_example.py");

describe("examples/python through the real CLI (Automation API inline program) against the emulator", function () {
  this.timeout(10 * 60 * 1000);
  exampleScenario({
    language: "python",
    hookToken: "hook-token-3c9d41e7",
    env: { ZOHO_WATCH_EXAMPLE: EXAMPLE },
    async prepare() {
      const python = await pythonSdkEnv();
      return (action) => ({ command: python.python, args: [RUNNER, action] });
    },
  });
});
