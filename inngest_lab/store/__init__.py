"""Storage ports (``ports.py``) and their adapters: memory, sqlite (later postgres, redis)."""
