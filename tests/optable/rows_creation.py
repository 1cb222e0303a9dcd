"""Rows of factories, random sampling, conversions from data, and tensor metadata queries."""
import numpy as np

from .core import ALL, D, OpRow, Sample

FACTORY = dict(grad=False, dtypes=("float32",))


def factory(name, samples, **kw):
    """A factory: no tensor input, compared by value, dtype and shape."""
    return OpRow(name, samples, **{**FACTORY, **kw})


def _like(make):
    return [Sample("2d", (make((3, 4)),)), Sample("dtype", (make((2,)),), {"dtype": D("int64")}),
            Sample("0d", (make(()),))]


def _full_like(make):
    return [Sample("2d", (make((3, 4)), 1.5)), Sample("int", (make((2,)), 7), {"dtype": D("int32")})]


def _random_like(make):
    return [Sample("2d", (make((3, 4)),)), Sample("dtype", (make((2,)),), {"dtype": D("float64")})]


def _new(make):
    return [Sample("2d", (make((3, 4)), (2, 3))), Sample("dtype", (make((2,)), (2,)),
                                                          {"dtype": D("int64")})]


def _new_full(make):
    return [Sample("2d", (make((3, 4)), (2, 3), 2.5))]


def _meta(make):
    return [Sample("2d", (make((3, 4)),)), Sample("0d", (make(()),)),
            Sample("noncontig", (make((3, 4), noncontig=True),))]


def meta(name, samples=_meta, **kw):
    """A metadata query on a tensor (no gradient; every dtype)."""
    return OpRow(name, samples, grad=False, dtypes=kw.pop("dtypes", ALL), **kw)


def _dtype_str(fn):
    """A call whose dtype result is compared by name."""
    return lambda lib, *a, **k: str(fn(lib, *a, **k)).split(".")[-1]


def _in_place_random(method, *args, xfail=None):
    """``x.<method>(*args)`` on a float tensor: compared by shape and dtype."""
    return OpRow(f"Tensor.{method}", lambda make: [Sample("2d", (make((3, 4)),) + args)],
                 random=True, grad=False, inplace=method, xfail=xfail or {})


ROWS = [
    factory("zeros", lambda make: [Sample("2d", (2, 3)), Sample("tuple", ((2, 3),)),
                                   Sample("dtype", (3,), {"dtype": D("int64")}), Sample("0d", ((),))],
            out=True),
    factory("ones", lambda make: [Sample("2d", (2, 3)), Sample("dtype", (3,), {"dtype": D("bool")})],
            out=True),
    factory("empty", lambda make: [Sample("2d", (2, 3)), Sample("dtype", (3,), {"dtype": D("int64")})],
            random=True, out=True),
    factory("full", lambda make: [Sample("float", ((2, 3), 1.5)), Sample("int", ((2,), 3)),
                                  Sample("bool", ((2,), True)),
                                  Sample("dtype", ((2,), 3), {"dtype": D("float64")})], out=True),
    factory("arange", lambda make: [Sample("stop", (5,)), Sample("range", (1, 7, 2)),
                                    Sample("float", (0.0, 1.0, 0.25)), Sample("neg", (5, 0, -1.5)),
                                    Sample("dtype", (4,), {"dtype": D("float64")})], out=True,
            errors=lambda lib: [(lambda: lib.arange(0, 5, 0), RuntimeError)]),
    factory("range", lambda make: [Sample("float", (0, 2, 0.5)), Sample("int", (1, 4))], out=True),
    factory("linspace", lambda make: [Sample("5", (0, 1, 5)), Sample("one", (2.0, 3.0, 1)),
                                      Sample("int", (0, 10, 4), {"dtype": D("int64")})], out=True),
    factory("logspace", lambda make: [Sample("5", (0, 2, 5)), Sample("base2", (0, 3, 4),
                                                                       {"base": 2.0})], out=True),
    factory("eye", lambda make: [Sample("square", (3,)), Sample("rect", (2, 4)),
                                 Sample("dtype", (2,), {"dtype": D("int64")})], out=True),
    factory("tensor", lambda make: [Sample("floats", ([[1.0, 2.0], [3.0, 4.5]],)),
                                    Sample("ints", ([1, 2, 3],)), Sample("bool", ([True, False],)),
                                    Sample("mixed", ([1, 2.5],)), Sample("scalar", (3,)),
                                    Sample("array", (np.arange(3, dtype=np.int32),)),
                                    Sample("dtype", ([1, 2],), {"dtype": D("float64")}),
                                    Sample("empty", ([],))]),
    factory("as_tensor", lambda make: [Sample("list", ([1.0, 2.0],)),
                                       Sample("array", (np.ones((2, 2), np.float64),)),
                                       Sample("dtype", ([1, 2],), {"dtype": D("float32")})]),
    factory("asarray", lambda make: [Sample("list", ([1, 2],)),
                                     Sample("array", (np.ones(3, np.float32),))]),
    factory("from_numpy", lambda make: [Sample("f64", (np.linspace(0, 1, 4),)),
                                        Sample("i32", (np.arange(3, dtype=np.int32),))]),
    factory("scalar_tensor", lambda make: [Sample("float", (1.5,)), Sample("int", (3,),
                                                                           {"dtype": D("int64")})]),
    OpRow("complex", lambda make: [Sample("2d", (make((3, 2)), make((3, 2))))], grad=False,
          out=True),
    OpRow("zeros_like", _like, grad=False, dtypes=ALL),
    OpRow("ones_like", _like, grad=False, dtypes=ALL),
    OpRow("empty_like", _like, grad=False, dtypes=ALL, random=True),
    OpRow("full_like", _full_like, grad=False, dtypes=ALL),
    OpRow("rand_like", _random_like, random=True, grad=False),
    OpRow("randn_like", _random_like, random=True, grad=False),
    OpRow("randint_like", lambda make: [Sample("high", (make((3, 4)), 5)),
                                        Sample("range", (make((2,)), 1, 4))], random=True, grad=False,
          ),
    factory("rand", lambda make: [Sample("2d", (2, 3)), Sample("dtype", ((2,),), {"dtype": D("float64")})],
            random=True, out=True),
    factory("randn", lambda make: [Sample("2d", (2, 3))], random=True, out=True),
    factory("randint", lambda make: [Sample("high", (5, (2, 3))), Sample("range", (1, 4, (3,)))],
            random=True, out=True),
    factory("randperm", lambda make: [Sample("5", (5,))], random=True, out=True),
    OpRow("normal", lambda make: [Sample("tensors", (make((3,)), make((3,), low=0.5))),
                                  Sample("floats", (0.0, 1.0, (2, 3)))], random=True, grad=False,
          out=True),
    OpRow("bernoulli", lambda make: [Sample("probs", (make((3, 4), low=0, high=1),)),
                                     Sample("p", (make((3, 4)), 0.3))],
          random=True, grad=False, method=True, inplace="bernoulli_", out=True),
    OpRow("poisson", lambda make: [Sample("rates", (make((3, 4), low=0.5, high=3),))],
          random=True, grad=False),
    OpRow("binomial", lambda make: [Sample("counts", (make.values([[0., 3.], [10., 1.]]),
                                                      make((2, 2), low=0, high=1)))],
          random=True, grad=False),
    # the reparameterised gamma sampler behind distributions.Gamma.rsample (private in torch too)
    OpRow("_standard_gamma", lambda make: [Sample("shapes", (make((3, 4), low=0.5, high=3),))],
          random=True),
    OpRow("multinomial", lambda make: [Sample("1d", (make((5,), low=0.1, high=1), 3)),
                                       Sample("replace", (make((2, 4), low=0.1, high=1), 6),
                                              {"replacement": True})],
          random=True, grad=False, method=True, out=True),
    _in_place_random("uniform_", -1.0, 1.0), _in_place_random("normal_", 0.0, 2.0),
    _in_place_random("cauchy_"), _in_place_random("exponential_"),
    _in_place_random("geometric_", 0.3), _in_place_random("log_normal_"),
    _in_place_random("random_", 0, 10),
    OpRow("Tensor.new_tensor", lambda make: [Sample("list", (make((2,)), [1, 2]))], grad=False),
    *[OpRow(f"Tensor.{m}", _new, grad=False, dtypes=ALL, random=m == "new_empty")
      for m in ("new_zeros", "new_ones", "new_empty")],
    OpRow("Tensor.new_full", _new_full, grad=False, dtypes=ALL),
    OpRow("Tensor.new", lambda make: [Sample("shape", (make((2,)), 2, 3))], grad=False,
          random=True),
    meta("numel", method=True, aliases=("Tensor.nelement",)),
    meta("Tensor.dim", aliases=("Tensor.ndimension",)),
    meta("Tensor.ndim", call=lambda lib, x: x.ndim),
    meta("Tensor.shape", call=lambda lib, x: tuple(x.shape)),
    meta("Tensor.size", lambda make: [Sample("all", (make((3, 4)),)), Sample("dim", (make((3, 4)), -1))]),
    meta("Tensor.stride", lambda make: [Sample("2d", (make((3, 4)),)), Sample("dim", (make((3, 4)), 0))]),
    meta("Tensor.storage_offset", lambda make: [Sample("view", (make((3, 4)),))],
         call=lambda lib, x: x[1:].storage_offset()),
    meta("Tensor.is_contiguous"), meta("Tensor.element_size"),
    meta("Tensor.dtype", call=lambda lib, x: str(x.dtype).split(".")[-1]),
    meta("Tensor.item", lambda make: [Sample("0d", (make(()),)), Sample("1", (make((1, 1)),))]),
    meta("Tensor.tolist"),
    meta("Tensor.numpy", call=lambda lib, x: x.numpy().copy()),
    meta("is_floating_point", method=True), meta("is_complex", method=True),
    meta("is_nonzero", lambda make: [Sample("one", (make((1,)),))]),
    meta("is_tensor", lambda make: [Sample("tensor", (make((2,)),)), Sample("list", ([1],))]),
    # the module prefix is the library's own name ("ember.FloatTensor")
    meta("typename", lambda make: [Sample("tensor", (make((2,)),))],
         call=lambda lib, x: lib.typename(x).split(".")[-1]),
    meta("Tensor.is_leaf", call=lambda lib, x: x.is_leaf),
    meta("Tensor.requires_grad", call=lambda lib, x: x.requires_grad),
    meta("Tensor.is_cpu", call=lambda lib, x: x.is_cpu),
    meta("Tensor.is_cuda", call=lambda lib, x: x.is_cuda),
    meta("Tensor.is_sparse", call=lambda lib, x: x.is_sparse),
    meta("Tensor.is_quantized", call=lambda lib, x: x.is_quantized),
    meta("Tensor.is_meta", call=lambda lib, x: x.is_meta),
    meta("Tensor.get_device"),
    meta("result_type", lambda make: [Sample("tensors", (make((2,)), make((2,), dtype="float64"))),
                                      Sample("scalar", (make((2,)), 2.5))],
         call=_dtype_str(lambda lib, *a: lib.result_type(*a))),
    OpRow("promote_types", lambda make: [Sample("if", (D("int64"), D("float32"))),
                                         Sample("bool", (D("bool"), D("uint8")))],
          call=_dtype_str(lambda lib, *a: lib.promote_types(*a)), grad=False, dtypes=("float32",)),
    OpRow("can_cast", lambda make: [Sample("down", (D("float64"), D("int32"))),
                                    Sample("up", (D("int32"), D("float64")))], grad=False,
          dtypes=("float32",)),
]
