"""The Haneul Sport campaign scenario: a messy campaign with a known answer (see README.md).

``generate.write_scenario`` writes the files and the truth; ``evaluate.run_scenario`` runs
``advocates`` on them and scores every must-hold bar.
"""
