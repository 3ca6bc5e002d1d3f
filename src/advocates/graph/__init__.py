"""The graph: one id coding, the compact graph, and the engines behind metrics and communities.

In the order a run uses them: :mod:`~advocates.graph.coding` codes ids to integers (the one
place that does), :mod:`~advocates.graph.build` aggregates interactions into the edge table
and its :mod:`~advocates.graph.compact` graph, and :mod:`~advocates.graph.engine` chooses the
engine that computes the metrics and the communities of that graph:
:mod:`~advocates.graph.reference` (networkx and python-louvain) or :mod:`~advocates.graph.fast`
(array kernels and igraph, with :mod:`~advocates.graph.betweenness` run in the forked workers
of :mod:`~advocates.graph.workers`).
"""
