"""A run: configuration and profile, memory checks, privacy, and the pipeline that sequences it."""
