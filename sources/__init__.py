"""Readers: one adapter per source format -> the canonical observation frame; pandera validation."""
