"""Tests of pipeline/inputs/."""
