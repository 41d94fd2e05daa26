"""SDK apps the integration tests run as subprocesses (``python -m tests.integration.apps.<name>``)."""
