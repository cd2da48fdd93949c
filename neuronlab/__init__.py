"""Neuron Lab: a live, touchable 3D neural network that learns to read digits."""
import os

# The command-line tools (train, gradcheck, classify) print clean output; pygame's
# greeting on import would be noise in them and in the exhibit's log.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
