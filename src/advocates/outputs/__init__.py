"""File formats: atomic, deterministic, spreadsheet-safe writers; graph files for Gephi; CRM
exports. Which files a run writes, and where, is :mod:`advocates.run.outputs`."""
