"""HTML views and the report (templates, scripts and styles are package data)."""
