"""inngest-py's ``inngest.experimental`` names: ``ai`` adapters and ``realtime`` publishing."""

from inngest_lab.experimental import ai, realtime

__all__ = ["ai", "realtime"]
