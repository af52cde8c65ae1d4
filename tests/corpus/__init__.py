"""The real-world corpus: cases the tool was not written for, their expectations as data, and the layout rules (make corpus)."""
