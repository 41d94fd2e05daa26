"""``extension/src/api.gen.ts`` is exactly what the spec generates, it compiles under ``tsc --strict``, and the
generated types fit the front end's hand-written shapes in ``tokens.ts`` (so ``tokens.ts`` can alias them).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from inngest_lab.server.openapi_ts import OUTPUT, generate

EXTENSION = OUTPUT.parents[1]
TSC = EXTENSION / "node_modules" / "typescript" / "bin" / "tsc"

# Each hand-written shape of tokens.ts must accept the generated type of the same answer (and the event form's
# input must be a valid request body).
COMPATIBLE = {
    "IRunSummary": "RunSummary",
    "IFunctionInfo": "FunctionInfo",
    "IEventInfo": "EventInfo",
    "ITimeline": "Timeline",
    "ISpan": "Span",
    "IAttempt": "Attempt",
    "IAppInfo": "AppInfo",
    "ICronInfo": "CronInfo",
    "IPauseState": "PauseState",
    "ICancellation": "Cancellation",
}


def test_the_committed_file_is_what_the_spec_generates() -> None:
    assert OUTPUT.read_text(encoding="utf-8") == generate(), (
        f"{OUTPUT.relative_to(EXTENSION.parent)} is out of date: run `python -m inngest_lab.server.openapi_ts`"
    )


def test_the_types_compile_and_fit_tokens_ts(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not TSC.exists():
        raise RuntimeError("node and extension/node_modules are needed: `make test` installs both")
    gen, tokens = (EXTENSION / "src" / "api.gen").as_posix(), (EXTENSION / "src" / "tokens").as_posix()
    lines = [f"import type * as gen from '{gen}';", f"import type * as tokens from '{tokens}';"]
    lines += [f"export const {t}: tokens.{t} = {{}} as gen.{g};" for t, g in COMPATIBLE.items()]
    lines.append("export const input: gen.EventInput = {} as tokens.IEventInput;")
    lines.append("export const cancel: gen.CancellationInput = {} as tokens.ICancellationInput;")
    check = tmp_path / "check.ts"
    check.write_text("\n".join(lines) + "\n")
    argv = [node, str(TSC), "--noEmit", "--strict", "--skipLibCheck", "--target", "ES2020"]
    argv += ["--moduleResolution", "node", "--lib", "DOM,ES2020", str(OUTPUT), str(check)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
