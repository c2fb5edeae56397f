"""`botlint audit`: a report for people on what each flow does to the person who receives it."""
