"""One module per rule type; registry.py finds every module here. The contract a module keeps is in registry.py."""
