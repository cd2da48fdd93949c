"""The learning core: network, trainer, digits, gradient check, weights files. Imports numpy only."""
