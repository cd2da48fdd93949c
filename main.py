from neuronlab.cli import entry

# spawned helper processes import this file again: only the real start runs the exhibit
if __name__ == "__main__":
    entry()
