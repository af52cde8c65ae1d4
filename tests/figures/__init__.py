"""Tests of pipeline/figures/."""
