"""Flow control decided when an event arrives or a run is about to start (pure, one module per feature).

Each module decides from the function's configuration, the event(s), the persisted flow state it is
handed and ``now``; the executor's ``admission`` shell reads and writes that state in one transaction.
"""
