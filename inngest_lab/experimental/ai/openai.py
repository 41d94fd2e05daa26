"""``from inngest_lab.experimental.ai import openai; openai.Adapter(auth_key=…, model=…, base_url=…)``."""

from inngest_lab.sdk.ai import OpenAIAdapter as Adapter

__all__ = ["Adapter"]
