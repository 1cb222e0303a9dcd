"""Rows whose second derivatives ember does not compare by gradgradcheck: ``{row id: reason}``,
each a strict xfail of ``test_gradgradcheck`` (so a change shows up until its entry goes)."""

GRADGRAD_XFAIL = {
    "nn.functional.ctc_loss": "torch defines no double backward for ctc_loss and ember raises "
                              "torch's error (tests/test_higher_order.py checks both)",
    "index_reduce": "second derivative w.r.t. source comes out 0 where central differences give "
                    "a value (index_reduce landed the same session as create_graph; its reduce "
                    "path through the repeated index key is not yet interpreted over Tensors)",
}
