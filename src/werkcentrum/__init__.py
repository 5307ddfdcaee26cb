"""Werkcentrum: one front door for work, careers and training."""
