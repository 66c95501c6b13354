// The generated Python SDK (sdk/python) as a user gets it: built into a wheel and an sdist, the wheel
// installed into a new venv beside pulumi==3.272.0 from PyPI (the oldest the schema's
// `pulumi>=3.272.0,<4.0.0` allows), imported, and a small program type-checked with mypy against it
// (the package is typed: py.typed). The venv is cached (test/sdk/support.ts); needs Python 3 and, the
// first time, PyPI: real-CLI tier (scripts/test-tiers.sh).
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";
import { pythonSdkEnv, type PythonSdkEnv } from "./support";

const GOOD = `import pulumi
import pulumi_zoho_watch as zoho_watch

hook_token = pulumi.Config().require_secret("hookToken")
deals = zoho_watch.WatchChannel(
    "deals",
    events=["Deals.all"],
    notify_url="https://hooks.example.com/zoho/deals",
    token=hook_token,
    expires_in="P2D",
    notification_condition=[
        zoho_watch.NotificationConditionArgs(
            type="field_selection",
            module=zoho_watch.ApiNameRefArgs(api_name="Deals"),
            field_selection=zoho_watch.FieldSelectionArgs(field=zoho_watch.ApiNameRefArgs(api_name="Stage")),
        ),
    ],
)
channel_id: pulumi.Output[str] = deals.channel_id
pulumi.export("dealsChannel", channel_id)
`;

// WatchChannelArgs (WatchChannel's constructor is overloaded, so mypy names no argument there):
// notify_url is required, events are strings, expires_in a string. mypy must say all three.
const BAD = `import pulumi_zoho_watch as zoho_watch

zoho_watch.WatchChannelArgs(events=[5], expires_in=7)
`;

describe("sdk/python: the Python SDK builds, installs beside pulumi 3.272.0, and type-checks", function () {
  this.timeout(10 * 60 * 1000);
  let env: PythonSdkEnv;
  let scratch: string;

  before(async function () {
    const start = Date.now();
    env = await pythonSdkEnv();
    console.log(`      (python venv ${env.built ? "built" : "from the cache"} in ${Date.now() - start} ms)`);
    scratch = await mkdtemp(path.join(tmpdir(), "sdk-python-"));
  });
  after(async function () {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function python(args: string[]): Promise<string> {
    const result = await run(env.python, args, scratch, process.env);
    assert.equal(result.code, 0, `python ${args.join(" ")}:\n${result.output}`);
    return result.stdout;
  }

  it("builds a wheel and an sdist at the package's version, with py.typed and pulumi-plugin.json", async function () {
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    assert.equal(path.basename(env.wheel), `pulumi_zoho_watch-${version}-py3-none-any.whl`);
    assert.equal(path.basename(env.sdist), `pulumi_zoho_watch-${version}.tar.gz`);
    const listed = await python([
      "-c",
      "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
      env.wheel,
    ]);
    for (const file of ["pulumi_zoho_watch/py.typed", "pulumi_zoho_watch/pulumi-plugin.json"]) {
      assert.ok(listed.split("\n").includes(file), `${file} not in the wheel:\n${listed}`);
    }
  });

  it("imports pulumi_zoho_watch beside pulumi 3.272.0, asking for the zoho-watch plugin at that version", async function () {
    const out = await python([
      "-c",
      [
        "import importlib.metadata as m, json, pathlib",
        "import pulumi_zoho_watch as z",
        "print(json.dumps({'pulumi': m.version('pulumi'), 'sdk': m.version('pulumi_zoho_watch'),",
        "  'plugin': json.loads((pathlib.Path(z.__file__).parent / 'pulumi-plugin.json').read_text()),",
        "  'resource': z.WatchChannel.__name__}))",
      ].join("\n"),
    ]);
    const seen = JSON.parse(out) as Record<string, unknown>;
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    assert.deepEqual(seen, {
      pulumi: "3.272.0",
      sdk: version,
      plugin: { resource: true, name: "zoho-watch", version },
      resource: "WatchChannel",
    });
  });

  it("mypy --strict accepts a program using the SDK", async function () {
    await writeFile(path.join(scratch, "good.py"), GOOD);
    await python(["-m", "mypy", "--strict", "--no-incremental", "good.py"]);
  });

  it("mypy --strict accepts examples/python/__main__.py", async function () {
    await python([
      "-m",
      "mypy",
      "--strict",
      "--no-incremental",
      path.join(repoRoot, "examples", "python", "__main__.py"),
    ]);
  });

  it("mypy rejects a program that passes the wrong types", async function () {
    await writeFile(path.join(scratch, "bad.py"), BAD);
    const result = await run(env.python, ["-m", "mypy", "--no-incremental", "bad.py"], scratch, process.env);
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /bad\.py:3: error: Missing named argument "notify_url"/);
    assert.match(result.output, /bad\.py:3: error: List item 0 has incompatible type "int"/);
    assert.match(result.output, /bad\.py:3: error: Argument "expires_in" .* incompatible type "int"/);
  });
});
