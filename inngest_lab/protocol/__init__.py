"""Wire shapes and strings shared by the SDK and the server.

This package imports nothing else of ours. Every persisted or wire string is an enum
member whose value is copied byte for byte from ``shared/docs/inngest-protocol.md``.
"""
