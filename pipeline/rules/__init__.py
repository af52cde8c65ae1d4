"""Scoring rules, one module a type under rules/types/ (its parameters, framework checks, scoring, wording and `make
rules` entry); registry.py finds them and is the one door the rest of the program goes through."""
