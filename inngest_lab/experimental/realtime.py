"""inngest-py's ``inngest.experimental.realtime``: ``publish(client, channel, topic, data)`` and ``publish_sync``."""

from inngest_lab.sdk.realtime import RealtimePublishError, publish, publish_sync

__all__ = ["RealtimePublishError", "publish", "publish_sync"]
