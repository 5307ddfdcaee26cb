"""Tests for the ESCO occupation title normaliser."""
