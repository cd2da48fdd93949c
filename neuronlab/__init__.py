"""Neuron Lab: a live, touchable 3D neural network that learns to read digits."""
