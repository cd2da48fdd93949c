"""The bundled shaders and fonts, installed as the package ``neuronlab.assets`` (see
neuronlab/resources.py); a package so that importlib.resources finds them in any install."""
