from neuronlab.app import main

main()
