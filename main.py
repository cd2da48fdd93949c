from neuronlab.cli import entry

entry()
