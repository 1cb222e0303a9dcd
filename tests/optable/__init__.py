"""The op table: one row per public op, and the checks against torch generated from it."""
