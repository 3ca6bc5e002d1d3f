"""The graph: one id coding, the compact graph, and the engines behind metrics and communities."""
