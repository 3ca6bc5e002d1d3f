"""Files a run writes: atomic writers, graph files for Gephi, CRM exports."""
