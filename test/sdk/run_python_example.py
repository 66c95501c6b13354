"""Runs a Python example program's own code through the real Pulumi CLI, with the Automation API.

There is no Python language host here (pulumi-language-python is not served by the Go module
proxy), so `pulumi up` cannot start `runtime: python` programs. The Automation API's inline-program
mode needs none: this process serves the program to the CLI itself, and the program is the example's
own __main__.py, run with runpy exactly as the language host would run it.

    python run_python_example.py up|preview|destroy

Settings come from the environment (test/sdk/python-example.test.ts sets them):
    ZOHO_WATCH_EXAMPLE          the example's __main__.py
    ZOHO_WATCH_EXAMPLE_PROJECT  the project name (its Pulumi.yaml's)
    ZOHO_WATCH_EXAMPLE_STACK    the stack name
    ZOHO_WATCH_EXAMPLE_WORK_DIR the workspace directory
    ZOHO_WATCH_EXAMPLE_CONFIG   JSON {key: {"value": ..., "secret": bool}}
The CLI's progress goes to stderr; the result, one JSON object, to stdout.
"""

import json
import os
import runpy
import sys
from typing import Any, Dict

from pulumi import automation as auto


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main() -> None:
    action = sys.argv[1]
    example = os.environ["ZOHO_WATCH_EXAMPLE"]
    project = os.environ["ZOHO_WATCH_EXAMPLE_PROJECT"]

    def program() -> None:
        runpy.run_path(example, run_name="__main__")

    stack = auto.create_or_select_stack(
        stack_name=os.environ["ZOHO_WATCH_EXAMPLE_STACK"],
        project_name=project,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=os.environ["ZOHO_WATCH_EXAMPLE_WORK_DIR"],
            project_settings=auto.ProjectSettings(name=project, runtime="python"),
        ),
    )
    config: Dict[str, Any] = json.loads(os.environ.get("ZOHO_WATCH_EXAMPLE_CONFIG", "{}"))
    stack.set_all_config(
        {key: auto.ConfigValue(value=v["value"], secret=bool(v.get("secret"))) for key, v in config.items()}
    )

    result: Dict[str, Any]
    if action == "up":
        up = stack.up(on_output=log)
        result = {
            "changes": up.summary.resource_changes,
            "outputs": {name: ("[secret]" if o.secret else o.value) for name, o in up.outputs.items()},
        }
    elif action == "preview":
        preview = stack.preview(on_output=log)
        result = {"changes": preview.change_summary}
    elif action == "destroy":
        destroy = stack.destroy(on_output=log)
        result = {"changes": destroy.summary.resource_changes}
    else:
        raise SystemExit(f"unknown action {action!r}: up, preview or destroy")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
