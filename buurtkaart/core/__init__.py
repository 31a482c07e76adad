"""Core types and kernels: they import nothing else from buurtkaart."""
