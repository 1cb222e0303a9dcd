"""Rows whose second derivatives ember does not compare by gradgradcheck: ``{row id: reason}``,
each a strict xfail of ``test_gradgradcheck`` (so a change shows up until its entry goes)."""

GRADGRAD_XFAIL = {
    "nn.functional.ctc_loss": "torch defines no double backward for ctc_loss and ember raises "
                              "torch's error (tests/test_higher_order.py checks both)",
}
