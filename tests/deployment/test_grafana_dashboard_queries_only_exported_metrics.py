"""``server/grafana/inngest-lab.json`` is a Grafana dashboard whose every query names metrics that ``/metrics``
really exports (a renamed metric would leave a panel silently empty)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from inngest_lab.observability.metrics import Metrics
from inngest_lab.store.ports import StoreGauges

DASHBOARD = Path(__file__).resolve().parents[2] / "server" / "grafana" / "inngest-lab.json"


def _exported() -> set[str]:
    metrics = Metrics("p")
    metrics.deployment(True, StoreGauges(1, 0, 0), 0)
    text = metrics.exposition()[0].decode()
    names = {f.name for f in text_string_to_metric_families(text)}
    names |= {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")}
    return names


def test_every_query_names_an_exported_metric() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "inngest-lab" and dashboard["panels"]
    exported = _exported()
    queried = {
        re.sub(r"(_bucket|_count|_sum|_total)$", "", name)
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"inngest_lab_[a-z_]+", target["expr"])
    }
    assert queried, "the dashboard queries something"
    missing = {name for name in queried if name not in exported}
    assert not missing, f"queried but not exported: {sorted(missing)}"
    assert {"inngest_lab_queue_depth", "inngest_lab_step_duration_seconds", "inngest_lab_runs_ended"} <= queried
