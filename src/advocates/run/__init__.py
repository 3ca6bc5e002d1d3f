"""A run: its configuration (``config``, ``profile``, ``privacy``), the analysis
(``analyse``), the run folder (``folder``: the one reader and writer of it; ``manifest``:
``run.json``; ``views``: its pages; ``outputs``: every file it writes), and the pipeline
that sequences read -> resolve -> analyse -> write (``pipeline``, timed by ``timer`` within
the ``memory`` budget)."""
