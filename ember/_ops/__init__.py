"""The op layer: ``base`` (``Op``, the graph node), shared helpers (``common``, ``inplace``), and one
module or folder per op family holding its public functions and its ``Op`` classes side by side.
"""
