"""Bringing vendors and the store together: pull, outbox push, conflicts."""
