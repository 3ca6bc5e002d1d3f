"""Analysis: brand matching, bots, communities, 5A stages, the funnel, scoring, explanations."""
