"""Rows of the shape family: views, joins and splits, flips and rolls, triangles and diagonals,
copies and casts."""
from .core import ALL, D, OpRow, Sample



def shaped(name, samples, method=True, **kw):
    """A shape op on any dtype (values are moved, never computed)."""
    return OpRow(name, samples, method=method, dtypes=kw.pop("dtypes", ALL), **kw)


def _one(shape, *args, tag="2d", noncontig=False, **kwargs):
    """A generator of one sample ``f(x, *args, **kwargs)`` with ``x`` of ``shape``."""
    return lambda make: [Sample(tag, (make(shape, noncontig=noncontig),) + args, kwargs)]


def _many(*specs):
    """Samples from ``(tag, shape, args, kwargs)`` specs; ``noncontig`` tags get a strided view."""
    def gen(make):
        return [Sample(tag, (make(shape, noncontig=tag == "noncontig"),) + tuple(args), dict(kw))
                for tag, shape, args, kw in specs]
    return gen


def _join(make):
    return [Sample("three", ([make((2, 3)), make((1, 3)), make((2, 3), noncontig=True)],)),
            Sample("dim1", ([make((2, 3)), make((2, 1))],), {"dim": 1}),
            Sample("empty", ([make((0, 3)), make((2, 3))],)),
            Sample("promote", ([make((2, 3)), make((2, 3), dtype="float64")],))]


def _stack_like(make):
    return [Sample("2d", ([make((2, 3)), make((2, 3), noncontig=True)],)),
            Sample("1d", ([make((3,)), make((3,))],)),
            Sample("0d", ([make(()), make(())],))]


def _split_like(first, *rest):
    return _many(("2d", (4, 6), (first,), {}), ("dim1", (4, 6), rest, {"dim": 1})) if rest else \
        _many(("2d", (4, 6), (first,), {}))


ROWS = [
    shaped("reshape", _many(("2d", (3, 4), ((2, 6),), {}), ("infer", (3, 4), ((-1, 2),), {}),
                            ("noncontig", (3, 4), ((12,),), {}), ("0d", (), ((1, 1),), {}),
                            ("empty", (0, 3), ((3, 0),), {}))),
    shaped("Tensor.view", _many(("2d", (3, 4), (2, 6), {}), ("infer", (3, 4), (-1,), {}),
                                ("0d", (), (1,), {}))),
    shaped("Tensor.view_as", lambda make: [Sample("2d", (make((3, 4)), make((2, 6))))]),
    shaped("Tensor.reshape_as", lambda make: [Sample("2d", (make((3, 4)), make((6, 2))))]),
    shaped("flatten", _many(("all", (2, 3, 2), (), {}), ("range", (2, 3, 2), (1, 2), {}),
                            ("0d", (), (), {}))),
    shaped("unflatten", _many(("2d", (2, 6), (1, (2, 3)), {}), ("infer", (12,), (0, (-1, 4)), {}))),
    shaped("squeeze", _many(("all", (1, 3, 1), (), {}), ("dim", (1, 3, 1), (2,), {}),
                            ("dims", (1, 3, 1), ((0, 2),), {}), ("0d", (), (), {})),
           inplace="squeeze_"),
    shaped("unsqueeze", _many(("front", (3, 4), (0,), {}), ("neg", (3, 4), (-1,), {}),
                              ("0d", (), (0,), {})), inplace="unsqueeze_"),
    shaped("permute", _many(("3d", (2, 3, 4), ((2, 0, 1),), {}), ("neg", (2, 3), ((-1, 0),), {}),
                            ("noncontig", (3, 4), ((1, 0),), {})),
           errors=lambda lib: [(lambda: lib.ones(2, 3).permute(0, 0), RuntimeError),
                               (lambda: lib.ones(2, 3).permute(0), RuntimeError),
                               (lambda: lib.ones(2, 3).permute(0, 1, 2), RuntimeError)]),
    shaped("transpose", _many(("2d", (3, 4), (0, 1), {}), ("neg", (2, 3, 4), (-1, 0), {}),
                              ("0d", (), (0, -1), {})),
           inplace="transpose_", aliases=("ember.swapaxes", "Tensor.swapaxes", "Tensor.swapaxes_",
                                          "ember.swapdims", "Tensor.swapdims", "Tensor.swapdims_")),
    shaped("movedim", _many(("3d", (2, 3, 4), (0, 2), {}), ("tuple", (2, 3, 4), ((0, 1), (2, 0)), {}),
                            ("0d", (), (0, 0), {})),
           aliases=("ember.moveaxis", "Tensor.moveaxis")),
    shaped("t", _many(("2d", (3, 4), (), {}), ("1d", (3,), (), {}), ("0d", (), (), {})),
           inplace="t_"),
    shaped("Tensor.T", _many(("2d", (3, 4), (), {})), call=lambda lib, x: x.T),
    shaped("Tensor.mT", _many(("3d", (2, 3, 4), (), {})), call=lambda lib, x: x.mT),
    shaped("Tensor.expand", _many(("2d", (3, 1), (3, 4), {}), ("new_dim", (4,), (2, 3, -1), {}),
                                  ("0d", (), (2, 2), {}))),
    shaped("Tensor.expand_as", lambda make: [Sample("2d", (make((3, 1)), make((3, 4))))]),
    shaped("broadcast_to", _many(("2d", (3, 1), ((3, 4),), {}), ("0d", (), ((2,),), {}))),
    shaped("broadcast_tensors", lambda make: [
        Sample("two", (make((3, 1)), make((1, 4)))), Sample("0d", (make(()), make((2,))))],
        method=False),
    OpRow("broadcast_shapes", lambda make: [Sample("two", ((3, 1), (1, 4))),
                                            Sample("three", ((2,), (3, 1), ()))],
          grad=False, dtypes=("float32",),
          errors=lambda lib: [(lambda: lib.broadcast_shapes((2,), (3,)), RuntimeError)]),
    shaped("cat", _join, method=False, out=True, aliases=("ember.concat", "ember.concatenate"),
           errors=lambda lib: [(lambda: lib.cat([lib.ones(2, 3), lib.ones(2, 2)]), RuntimeError),
                               (lambda: lib.cat([]), ValueError)]),
    shaped("stack", _stack_like, method=False, out=True,
           errors=lambda lib: [(lambda: lib.stack([lib.ones(2), lib.ones(3)]), RuntimeError)]),
    shaped("hstack", _stack_like, method=False, out=True),
    shaped("vstack", _stack_like, method=False, out=True, aliases=("ember.row_stack",)),
    shaped("dstack", _stack_like, method=False, out=True),
    shaped("column_stack", _stack_like, method=False, out=True),
    shaped("split", _many(("int", (5, 2), (2,), {}), ("sizes", (5, 2), ([1, 4],), {}),
                          ("dim1", (2, 5), (3,), {"dim": 1}))),
    shaped("chunk", _many(("3", (7, 2), (3,), {}), ("dim1", (2, 4), (2,), {"dim": 1}))),
    shaped("tensor_split", _many(("sections", (7, 2), (3,), {}), ("indices", (7, 2), ([1, 5],), {}),
                                 ("dim1", (2, 5), (2,), {"dim": 1}))),
    shaped("hsplit", _split_like(2)),
    shaped("vsplit", _split_like([1, 3])),
    shaped("dsplit", _many(("3d", (2, 2, 4), (2,), {}))),
    shaped("unbind", _many(("dim0", (3, 2), (), {}), ("dim1", (3, 2), (1,), {}))),
    shaped("narrow", _many(("dim0", (5, 3), (0, 1, 3), {}), ("dim1", (3, 4), (1, 2, 2), {}))),
    shaped("narrow_copy", _many(("dim0", (5, 3), (0, 1, 3), {}))),
    shaped("select", _many(("dim0", (3, 4), (0, 1), {}), ("neg", (3, 4), (-1, -1), {}))),
    shaped("flip", _many(("pos", (3, 4), ((0,),), {}), ("both", (3, 4), ((0, 1),), {}),
                         ("kw", (3, 4), (), {"dims": (1,)}), ("0d", (), ((),), {}))),
    shaped("fliplr", _many(("2d", (3, 4), (), {}))), shaped("flipud", _many(("2d", (3, 4), (), {}))),
    shaped("roll", _many(("flat", (3, 4), (2,), {}), ("dim", (3, 4), (1,), {"dims": 1}),
                         ("multi", (3, 4), ((1, -1),), {"dims": (0, 1)}))),
    shaped("rot90", _many(("once", (3, 4), (), {}), ("k3", (2, 3), (3, (0, 1)), {}),
                          ("neg", (2, 3, 2), (-1, (1, 2)), {}))),
    shaped("Tensor.repeat", _many(("2d", (2, 3), (2, 1), {}), ("new_dims", (3,), (2, 2), {}),
                                  ("0d", (), (3,), {}))),
    shaped("tile", _many(("2d", (2, 3), ((2, 1),), {}), ("short", (2, 3), ((2,),), {}))),
    shaped("repeat_interleave", lambda make: [
        Sample("int", (make((2, 3)), 2)), Sample("dim", (make((2, 3)), 2), {"dim": 1}),
        Sample("tensor", (make((3,)), make.values([1, 0, 2], "int64", grad=False)), {"dim": 0})]),
    shaped("tril", _many(("2d", (3, 4), (), {}), ("k", (3, 4), (1,), {}), ("batch", (2, 3, 3), (-1,), {})),
           inplace="tril_", out=True),
    shaped("triu", _many(("2d", (3, 4), (), {}), ("k", (3, 4), (-1,), {}), ("batch", (2, 3, 3), (1,), {})),
           inplace="triu_", out=True),
    shaped("diag", _many(("vec", (3,), (), {}), ("mat", (3, 4), (), {}), ("offset", (3,), (1,), {}),
                         ("mat_neg", (4, 3), (-1,), {})), out=True),
    shaped("diag_embed", _many(("vec", (3,), (), {}), ("batch", (2, 3), (1,), {}))),
    shaped("diagflat", _many(("mat", (2, 2), (), {}), ("offset", (3,), (-1,), {}))),
    shaped("diagonal", _many(("2d", (3, 4), (), {}), ("offset", (3, 4), (1,), {}),
                             ("dims", (2, 3, 4), (0, 1, 2), {}))),
    shaped("as_strided", _many(("2d", (3, 4), ((2, 2), (4, 1)), {}),
                               ("offset", (3, 4), ((2,), (1,), 3), {}))),
    shaped("ravel", _many(("2d", (3, 4), (), {}), ("noncontig", (3, 4), (), {}))),
    shaped("atleast_1d", _many(("0d", (), (), {}), ("2d", (2, 2), (), {})), method=False),
    shaped("atleast_2d", _many(("0d", (), (), {}), ("1d", (3,), (), {})), method=False),
    shaped("atleast_3d", _many(("0d", (), (), {}), ("1d", (3,), (), {}), ("2d", (2, 3), (), {})),
           method=False),
    shaped("meshgrid", lambda make: [Sample("ij", (make((3,)), make((2,))), {"indexing": "ij"}),
                                     Sample("xy", (make((3,)), make((2,))), {"indexing": "xy"})],
           method=False),
    shaped("Tensor.unfold", _many(("1d", (7,), (0, 3, 2), {}), ("2d", (3, 5), (1, 2, 1), {}))),
    shaped("Tensor.contiguous", _many(("noncontig", (3, 4), (), {}))),
    shaped("clone", _many(("2d", (3, 4), (), {}), ("noncontig", (3, 4), (), {}))),
    shaped("Tensor.detach", _many(("2d", (3, 4), (), {})), grad=False),
    shaped("zero_", _many(("2d", (3, 4), (), {})), inplace="zero_", gradcheck=False),
    shaped("fill_", _many(("2d", (3, 4), (1.5,), {})), inplace="fill_", gradcheck=False),
    shaped("Tensor.copy_", lambda make: [Sample("broadcast", (make((3, 4)), make((4,))))],
           inplace="copy_", gradcheck=False),
]

CASTS = {"float": "float32", "double": "float64", "half": "float16", "int": "int32", "long": "int64",
         "short": "int16", "bool": "bool", "byte": "uint8", "char": "int8"}

ROWS += [shaped(f"Tensor.{m}", _one((3, 4)), gradcheck=False) for m in CASTS]
ROWS += [
    shaped("Tensor.to", lambda make: [Sample("dtype", (make((3, 4)), D("float64"))),
                                      Sample("kw", (make((3, 4)),), {"dtype": D("int64")}),
                                      Sample("device", (make((3, 4)), "cpu")),
                                      Sample("like", (make((3, 4)), make((2,), dtype="float64")))],
           gradcheck=False),
    shaped("Tensor.type", lambda make: [Sample("dtype", (make((3, 4)), D("float64"))),
                                        Sample("string", (make((3, 4)), "torch.LongTensor"))],
           gradcheck=False),
    shaped("Tensor.type_as",
           lambda make: [Sample("2d", (make((3, 4)), make((2,), dtype="float64")))]),
    shaped("Tensor.cpu", _one((3, 4))),
    *[shaped(f"Tensor.{m}", _one((3, 4)), grad=False) for m in ("cfloat", "cdouble")],
]
