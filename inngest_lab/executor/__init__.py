"""The imperative shell: workers lease queue items, call a Driver, feed the engine, apply its commands."""
