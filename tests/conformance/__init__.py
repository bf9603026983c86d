"""Differential tests: the real Centrifugo client SDKs against the package's answers."""
