"""Sphinx configuration of ember's API reference (build: ``python -m sphinx -W docs docs/_build``)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # document this checkout's ember
sys.path.insert(0, HERE)

import gen_pages  # noqa: E402

gen_pages.main()

project = "ember"
author = "the ember developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = "ember reference"

autodoc_member_order = "bysource"
autodoc_typehints = "none"          # ember's signatures carry no annotations worth showing
autodoc_inherit_docstrings = False  # a method without its own docstring is not listed
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_custom_sections = ["Shape"]  # rendered as written: a list of shapes
trim_doctest_flags = True  # readers do not see ``# doctest: +SKIP``
