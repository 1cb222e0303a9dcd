"""torchsummary 1.5.1 and einops 0.8 under `ember run` print what they print under real torch."""
from tests.ecosystem._compare import compare, require

require("torch", "torchsummary", "einops")


def test_torchsummary_and_einops_match_torch():
    records = compare("torchsummary_einops.py")
    summary = records[0]["summary"]
    assert any("Total params: 10,222" in line for line in summary), summary
    assert [next(iter(r)) for r in records][-1] == "grad"
