"""advocates: find, rank and explain the people who speak for a brand in social network data."""

__version__ = "0.1.0"
