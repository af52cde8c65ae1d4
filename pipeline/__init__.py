"""预算绩效自评报告流水线：load → validate → compute → score → render → write."""
