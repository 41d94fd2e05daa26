"""The route table and the OpenAPI spec describe the same API: every route and method is in the spec (the SDK
protocol's aside), every spec path is served, and the spec is valid OpenAPI 3.1 with templated paths.

When a route is added without its ``Operation``, the failure says exactly which line to add, and where.
"""

from __future__ import annotations

import re
from typing import Any, cast

from openapi_spec_validator import validate

from inngest_lab.executor.app_sync import AppSyncer
from inngest_lab.server.app import headless_routes
from inngest_lab.server.base import ApiHandler
from inngest_lab.server.openapi import OPERATIONS, SDK_PROTOCOL_PATHS, spec, spec_mismatches
from inngest_lab.server.openapi_model import Operation
from inngest_lab.server.ui_app import ui_routes


def _routes() -> list[tuple[Any, ...]]:
    """What the headless server mounts: its own routes and the dashboard's (``inngest-lab dev`` without --no-ui).
    The syncer is only handed to the app admin handlers, never called here."""
    return [*headless_routes(), *ui_routes(cast(AppSyncer, object()))]


def test_the_route_table_and_the_spec_agree() -> None:
    problems = spec_mismatches(_routes())
    assert not problems, "\n".join(problems)


def test_the_spec_is_valid_openapi_3_1_with_templated_paths() -> None:
    document = spec()
    validate(document)
    assert document["openapi"] == "3.1.0"
    for path in document["paths"]:
        assert re.fullmatch(r"/|(/[A-Za-z0-9._-]+|/\{[A-Za-z]+\})+", path), f"{path} is not a plain template"
        assert path not in SDK_PROTOCOL_PATHS


class _WidgetHandler(ApiHandler):
    def get(self, widget_id: str) -> None: ...

    def post(self, widget_id: str) -> None: ...


def test_a_route_missing_from_the_spec_is_named_with_the_line_to_add() -> None:
    problems = spec_mismatches([*_routes(), (r"/v1/widgets/([^/]+)", _WidgetHandler)])
    [problem] = problems
    assert "route '/v1/widgets/([^/]+)' (_WidgetHandler: GET, POST) is not in the spec" in problem
    assert 'Operation("GET", "/v1/widgets/{id}", ...)' in problem
    assert "OPERATIONS in inngest_lab.server.openapi" in problem


def test_a_method_or_a_path_only_the_spec_has_is_named() -> None:
    extra = (
        Operation("PUT", "/v1/runs/{runId}", "replace a run", "REST v1", {}),
        Operation("GET", "/v1/nowhere", "nothing", "REST v1", {}),
    )
    problems = spec_mismatches(_routes(), (*OPERATIONS, *extra))
    assert "PUT /v1/runs/{runId} is in the spec but RunHandler has no put()" in problems
    assert "spec path /v1/nowhere matches no route: remove its Operation(...)s, or add the route" in problems
    assert len(problems) == 2
