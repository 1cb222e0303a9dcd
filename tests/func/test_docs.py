"""The docstring examples of torch.func, autograd.functional and forward_ad run as written."""
import doctest
import importlib

import pytest

import ember


@pytest.mark.parametrize("name", ["ember.func._vmap", "ember.func._transforms",
                                  "ember.func._module", "ember.func._expanded",
                                  "ember.autograd.functional", "ember.autograd.forward_ad"])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"ember": ember},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted and not result.failed
