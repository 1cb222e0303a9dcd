"""How much of torch's public API ember provides, per namespace, with a floor that must hold.

The enumeration of torch's API (the filter, with a reason for each exclusion):

* a name counts when it is public (no leading ``_``), callable, carries a docstring (torch
  documents it), and is defined in torch (its ``__module__`` starts with ``torch``, or it is a
  builtin from torch's C extension) -- this drops re-exported typing/stdlib helpers;
* ``torch.distributions`` counts the names in its ``__all__`` (its documented list);
* left out as deprecated: the legacy typed-tensor and storage classes (``FloatTensor``,
  ``ByteStorage``, ...), which torch keeps only for old code;
* left out as internal or backend kernels not meant for users: names starting with
  ``cudnn_``, ``miopen_``, ``mkldnn_``, ``fbgemm_``, ``native_``, ``quantized_``, ``q_``,
  ``fake_quantize``, ``quantize_``, ``sparse_``, ``segment_reduce``, ``sym_`` and ``is_vulkan``,
  and the ``_``-free C++ binding helpers listed in ``INTERNAL``.

Run with ``-s`` to see the table; it is also written to ``$TMPDIR/ember_api_coverage.txt`` with
the missing names, most useful first.
"""
import functools
import os
import tempfile
import types

import torch

import ember

DEPRECATED_SUFFIXES = ("Tensor", "Storage")
INTERNAL_PREFIXES = ("cudnn_", "miopen_", "mkldnn_", "fbgemm_", "native_", "quantized_", "q_",
                     "fake_quantize", "quantize_", "sparse_", "segment_reduce", "sym_",
                     "is_vulkan")
INTERNAL = {"classproperty", "get_file_path", "prepare_multiprocessing_environment",
            "import_ir_module", "import_ir_module_from_buffer", "merge_type_from_type_comment",
            "parse_ir", "parse_schema", "parse_type_comment", "unify_type_list", "vitals_enabled",
            "set_vital", "read_vitals", "fork", "wait",
            # torch-function dispatch plumbing in nn.functional
            "boolean_dispatch", "handle_torch_function", "has_torch_function",
            "has_torch_function_unary", "has_torch_function_variadic"}

# Coverage recorded on 2026-12-02 (percent, one decimal); raise these as names are added.
FLOORS = {"torch": 95.4, "Tensor": 93.8, "linalg": 100.0, "fft": 100.0, "special": 100.0,
          "distributions": 100.0, "nn.functional": 96.2}


def _documented(obj):
    doc = getattr(obj, "__doc__", None)
    return isinstance(doc, str) and bool(doc.strip())


def _counts(name, obj):
    """Whether ``obj``, found as ``name``, belongs to torch's documented public API."""
    if name.startswith("_") or not callable(obj) or not _documented(obj):
        return False
    if isinstance(obj, type) and name.endswith(DEPRECATED_SUFFIXES) and name != "Tensor":
        return False
    if name.startswith(INTERNAL_PREFIXES) or name in INTERNAL:
        return False
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("torch") or isinstance(obj, (types.BuiltinFunctionType,
                                                          types.MethodDescriptorType,
                                                          types.GetSetDescriptorType))


def _public(space):
    return sorted(n for n in dir(space) if _counts(n, getattr(space, n, None)))


@functools.lru_cache(maxsize=None)
def torch_api():
    """Namespace -> (sorted public torch names, the ember object to look them up on)."""
    tensor_names = sorted(n for n in dir(torch.Tensor) if not n.startswith("_")
                          and _documented(getattr(torch.Tensor, n)))
    return {
        "torch": (_public(torch), ember),
        "Tensor": (tensor_names, ember.Tensor),
        "linalg": (_public(torch.linalg), getattr(ember, "linalg", None)),
        "fft": (_public(torch.fft), getattr(ember, "fft", None)),
        "special": (_public(torch.special), getattr(ember, "special", None)),
        "distributions": (sorted(torch.distributions.__all__),
                          getattr(ember, "distributions", None)),
        "nn.functional": (_public(torch.nn.functional), ember.nn.functional),
    }


def coverage():
    """Namespace -> (covered count, total, missing names)."""
    out = {}
    for space, (names, mine) in torch_api().items():
        missing = [n for n in names if mine is None or not hasattr(mine, n)]
        out[space] = (len(names) - len(missing), len(names), missing)
    return out


def test_filter_keeps_and_drops_what_it_says():
    api = torch_api()
    assert {"add", "diff", "cdist", "logcumsumexp"} <= set(api["torch"][0])
    assert {"FloatTensor", "ByteStorage", "cudnn_convolution", "_C", "Optional"}.isdisjoint(
        api["torch"][0])
    assert {"mH", "fill_diagonal_", "sum_to_size", "add_"} <= set(api["Tensor"][0])
    assert "Normal" in api["distributions"][0] and "pinv" in api["linalg"][0]
    assert "conv2d" in api["nn.functional"][0] and "Tensor" not in api["nn.functional"][0]


def test_coverage_does_not_drop():
    table = coverage()
    lines = []
    for space, (have, total, missing) in table.items():
        pct = 100.0 * have / total if total else 100.0
        lines.append(f"{space:14s} {have:4d}/{total:<4d} {pct:5.1f}%  missing: {' '.join(missing)}")
    report = "\n".join(lines)
    print("\nember coverage of torch's public API\n" + report)
    with open(os.path.join(tempfile.gettempdir(), "ember_api_coverage.txt"), "w") as f:
        f.write(report + "\n")
    low = {s: round(100.0 * h / t, 1) for s, (h, t, _) in table.items() if t}
    dropped = {s: (low[s], FLOORS[s]) for s in low if low[s] < FLOORS[s]}
    assert not dropped, f"coverage below the recorded floor (now, floor): {dropped}"

    assert set(FLOORS) == set(table), "every namespace needs a recorded floor"
