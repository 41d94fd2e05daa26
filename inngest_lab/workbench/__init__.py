"""Data side of the live views (widgets, panels): the change hub, the timeline view model, static renderers.

Nothing here imports Jupyter; ``inngest_lab.widgets`` draws these models in a notebook.
"""
