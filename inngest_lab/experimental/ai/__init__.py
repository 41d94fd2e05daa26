"""inngest-py's ``inngest.experimental.ai``: adapters for ``ctx.step.ai.infer``."""

from inngest_lab.experimental.ai import openai
from inngest_lab.sdk.ai import Adapter as BaseAdapter

__all__ = ["BaseAdapter", "openai"]
