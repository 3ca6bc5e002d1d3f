"""The graph: one id coding, the compact graph, and the engines behind metrics and communities.

In the order a run uses them: :mod:`~advocates.graph.coding` codes ids to integers (the one
place that does), :mod:`~advocates.graph.build` aggregates interactions into the edge table
and its :mod:`~advocates.graph.compact` graph, and :mod:`~advocates.graph.engine` chooses the
engine that computes the metrics and the communities of that graph:
:mod:`~advocates.graph.reference` (networkx and python-louvain) or :mod:`~advocates.graph.fast`
(array kernels, igraph and networkit, with :mod:`~advocates.graph.betweenness` (its kernel
:mod:`~advocates.graph.brandes`, compiled with numba) run in the forked workers
of :mod:`~advocates.graph.workers`).
"""
