"""Losses against torch: every F.*loss* and nn.*Loss over a table of configurations.

Forward values and gradients w.r.t. input (and target, variance, class
probabilities where torch defines them) for each reduction, class weights,
ignore_index (incl. all-ignored batches), label smoothing, soft targets, K-dim
and unbatched inputs, float64; float64 gradchecks on small sizes; module
reprs, buffers and legacy size_average/reduce flags; errors and messages.
"""
import itertools
import warnings

import numpy as np
import pytest

import ember
from ember import nn
from tests.helpers import check_op, make_arrays, assert_close

torch = pytest.importorskip("torch")

REDUCTIONS = ["none", "mean", "sum"]


def F(lib):
    return lib.nn.functional


def const(lib, arr, like):
    """A constant tensor (no grad) from ``arr`` in ``like``'s dtype."""
    return lib.tensor(arr).to(like.dtype)


def _rng(seed=0):
    return np.random.default_rng(seed)


def class_targets(shape, n_classes, ignore=None, seed=0):
    """Random class indices; about a quarter replaced by ``ignore`` when given."""
    rng = _rng(seed)
    t = rng.integers(0, n_classes, size=shape).astype(np.int64)
    if ignore is not None:
        t = np.where(rng.random(shape) < 0.25, ignore, t)
        t.reshape(-1)[0] = 0  # at least one target counts
    return t


# -- cross-entropy and NLL over class indices ------------------------------------------
# (input shape, target shape)
CLASS_SHAPES = [((5, 4), (5,)), ((4,), ()), ((3, 4, 2, 3), (3, 2, 3)), ((2, 3, 5), (2, 5))]
CE_CASES = list(itertools.product(CLASS_SHAPES, REDUCTIONS, [False, True], [None, -100, 1],
                                  [0.0, 0.2]))


def _ce_id(case):
    (xs, _), red, w, ign, ls = case
    return f"{'x'.join(map(str, xs))}-{red}-w{int(w)}-ign{ign}-ls{ls}"


@pytest.mark.parametrize("case", CE_CASES, ids=_ce_id)
def test_cross_entropy_class_indices(case):
    (xs, ts), red, weighted, ignore, smoothing = case
    c = xs[0] if len(xs) == 1 else xs[1]
    t = class_targets(ts, c, ignore)
    w = _rng(3).uniform(0.2, 2.0, size=c)
    kw = dict(reduction=red, label_smoothing=smoothing)
    if ignore is not None:
        kw["ignore_index"] = ignore

    def fn(lib, x, t):
        return F(lib).cross_entropy(x, t, weight=const(lib, w, x) if weighted else None, **kw)
    check_op(fn, arrays=[make_arrays([xs])[0], t])


@pytest.mark.parametrize("case", CE_CASES[::3], ids=_ce_id)
def test_nll_loss(case):
    (xs, ts), red, weighted, ignore, _ = case
    c = xs[0] if len(xs) == 1 else xs[1]
    t = class_targets(ts, c, ignore, seed=1)
    w = _rng(3).uniform(0.2, 2.0, size=c)
    kw = dict(reduction=red) if ignore is None else dict(reduction=red, ignore_index=ignore)

    def fn(lib, x, t):
        return F(lib).nll_loss(x, t, weight=const(lib, w, x) if weighted else None, **kw)
    check_op(fn, arrays=[make_arrays([xs])[0], t])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_entropy_dtypes_and_uint8_targets(dtype):
    x = make_arrays([(6, 5)], dtype)[0]
    t = class_targets((6,), 5).astype(np.uint8)
    check_op(lambda lib, x, t: F(lib).cross_entropy(x, t, label_smoothing=0.1), arrays=[x, t],
             dtype=dtype)


@pytest.mark.parametrize("fn_name,kw", [("cross_entropy", {}), ("nll_loss", {}),
                                        ("cross_entropy", dict(label_smoothing=0.3)),
                                        ("cross_entropy", dict(weight=True)),
                                        ("nll_loss", dict(weight=True))])
def test_all_ignored_batch_gives_nan_mean_and_zero_grads(fn_name, kw):
    t = np.full((4,), -100, dtype=np.int64)
    w = np.array([0.5, 1.0, 2.0])

    def fn(lib, x, t):
        extra = dict(kw, weight=const(lib, w, x)) if "weight" in kw else kw
        return getattr(F(lib), fn_name)(x, t, **extra)
    check_op(fn, arrays=[make_arrays([(4, 3)])[0], t], gradcheck=False)
    x = ember.randn(4, 3, requires_grad=True)
    out = fn(ember, x, ember.tensor(t))
    out.backward()
    assert np.isnan(out.item()) and not x.grad.numpy().any()


def test_cross_entropy_noncontiguous_kdim_input():
    t = class_targets((4, 5), 3)
    check_op(lambda lib, x, t: F(lib).cross_entropy(x, t, label_smoothing=0.1),
             arrays=[make_arrays([(4, 3, 5)])[0], t], noncontiguous=True)


def test_soft_target_modified_in_place_raises_like_torch():
    for lib in (torch, ember):
        x = lib.randn(3, 4, requires_grad=True)
        q = lib.rand(3, 4)
        loss = F(lib).cross_entropy(x, q)
        q.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


def test_cross_entropy_zero_total_weight_gives_nan_grads_like_torch():
    t = np.array([0, 1, 2])

    def fn(lib, x, t):
        return F(lib).cross_entropy(x, t, weight=const(lib, np.zeros(3), x))
    check_op(fn, arrays=[make_arrays([(3, 3)])[0], t], gradcheck=False)


def test_cross_entropy_empty_batch():
    for red in REDUCTIONS:
        check_op(lambda lib, x, t: F(lib).cross_entropy(x, t, reduction=red),
                 arrays=[np.zeros((0, 3), np.float32), np.zeros(0, np.int64)], gradcheck=False)


def test_cross_entropy_backward_is_softmax_minus_onehot():
    x = ember.randn(8, 6, requires_grad=True)
    t = ember.tensor(class_targets((8,), 6))
    F(ember).cross_entropy(x, t, reduction="sum").backward()
    expected = x.detach().softmax(1).numpy() - np.eye(6, dtype=np.float32)[t.numpy()]
    np.testing.assert_allclose(x.grad.numpy(), expected, atol=1e-6)


# -- cross-entropy over class probabilities --------------------------------------------
SOFT_CASES = list(itertools.product([(5, 4), (4,), (2, 3, 2, 2)], REDUCTIONS, [False, True],
                                    [0.0, 0.25]))


@pytest.mark.parametrize("shape,red,weighted,smoothing", SOFT_CASES)
def test_cross_entropy_soft_targets(shape, red, weighted, smoothing):
    c = shape[0] if len(shape) == 1 else shape[1]
    x, q = make_arrays([shape, shape], seed=2)
    q = np.abs(q)
    arrays = [x, q] + ([_rng(4).uniform(0.2, 2.0, size=c).astype(np.float32)] if weighted else [])

    def fn(lib, x, q, w=None):
        return F(lib).cross_entropy(x, q, weight=w, reduction=red, label_smoothing=smoothing)
    check_op(fn, arrays=arrays)


def test_cross_entropy_soft_targets_promote_dtype():
    x, q = make_arrays([(3, 4), (3, 4)])
    check_op(lambda lib, x, q: F(lib).cross_entropy(x, q.double()), arrays=[x, np.abs(q)],
             gradcheck=False)


# -- binary cross-entropy --------------------------------------------------------------
@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (3,), (4, 1), (4, 3)])
def test_binary_cross_entropy(red, weight_shape):
    rng = _rng(5)
    x = rng.uniform(0.05, 0.95, (4, 3)).astype(np.float32)
    y = rng.uniform(0, 1, (4, 3)).astype(np.float32)
    w = None if weight_shape is None else rng.uniform(0.5, 2, weight_shape)

    def fn(lib, x, y):
        return F(lib).binary_cross_entropy(x, y, None if w is None else const(lib, w, x),
                                           reduction=red)
    check_op(fn, arrays=[x, y], grad_atol=1e-3)


def test_binary_cross_entropy_clamps_log_at_minus_100():
    check_op(lambda lib, x, y: F(lib).binary_cross_entropy(x, y, reduction="none"),
             arrays=[np.array([0.0, 1.0, 0.5], np.float32), np.array([1.0, 0.0, 0.3], np.float32)],
             gradcheck=False)


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("weight_shape,pos_shape", [(None, None), ((3,), None), (None, (3,)),
                                                    ((4, 1), (3,)), ((4, 3), (4, 1))])
def test_binary_cross_entropy_with_logits(red, weight_shape, pos_shape):
    rng = _rng(6)
    x = rng.uniform(-4, 4, (4, 3)).astype(np.float32)
    y = rng.uniform(0, 1, (4, 3)).astype(np.float32)
    w = None if weight_shape is None else rng.uniform(0.5, 2, weight_shape)
    pw = None if pos_shape is None else rng.uniform(0.5, 3, pos_shape)

    def fn(lib, x, y):
        return F(lib).binary_cross_entropy_with_logits(
            x, y, None if w is None else const(lib, w, x), reduction=red,
            pos_weight=None if pw is None else const(lib, pw, x))
    check_op(fn, arrays=[x, y])


def test_binary_cross_entropy_with_logits_is_stable_for_large_logits():
    x = ember.tensor([-200.0, 200.0, 0.0], requires_grad=True)
    out = F(ember).binary_cross_entropy_with_logits(x, ember.tensor([1.0, 0.0, 1.0]),
                                                    reduction="none")
    assert_close(out, torch.tensor([200.0, 200.0, np.log(2.0)], dtype=torch.float32))
    out.sum().backward()
    assert_close(x.grad, torch.tensor([-1.0, 1.0, -0.5]))


# -- regression losses -----------------------------------------------------------------
REGRESSION = [("l1_loss", {}), ("mse_loss", {}), ("huber_loss", {}),
              ("huber_loss", dict(delta=0.5)),
              ("smooth_l1_loss", {}), ("smooth_l1_loss", dict(beta=0.3)),
              ("smooth_l1_loss", dict(beta=0.0))]


@pytest.mark.parametrize("name,kw", REGRESSION)
@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_regression_losses(name, kw, red, dtype):
    check_op(lambda lib, x, y: getattr(F(lib), name)(x, y, reduction=red, **kw),
             [(4, 5), (4, 5)], dtype=dtype)


@pytest.mark.parametrize("name,kw", REGRESSION[:3])
def test_regression_losses_broadcast_with_torchs_warning(name, kw):
    with pytest.warns(UserWarning, match=r"Using a target size \(ember.Size\(\[4\]\)\) that is "
                                         r"different to the input size \(ember.Size\(\[4, 1\]\)\)"):
        getattr(F(ember), name)(ember.randn(4, 1), ember.randn(4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_op(lambda lib, x, y: getattr(F(lib), name)(x, y, **kw), [(4, 1), (3,)])


@pytest.mark.parametrize("name", ["l1_loss", "mse_loss", "huber_loss"])
@pytest.mark.parametrize("red", REDUCTIONS)
def test_regression_losses_with_weight(name, red):
    check_op(lambda lib, x, y, w: getattr(F(lib), name)(x, y, reduction=red, weight=w),
             [(3, 4), (3, 4), (3, 4)], positive=True)


def test_l1_loss_of_integers_like_torch():
    a, b = ember.tensor([1, 5, -2]), ember.tensor([3, 1, -2])
    assert_close(F(ember).l1_loss(a, b, reduction="sum"),
                 torch.nn.functional.l1_loss(torch.tensor([1, 5, -2]), torch.tensor([3, 1, -2]),
                                             reduction="sum"))


# -- divergences and likelihoods -------------------------------------------------------
@pytest.mark.parametrize("red", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(red, log_target):
    rng = _rng(7)
    x = np.log(rng.uniform(0.05, 1, (3, 4))).astype(np.float32)
    y = rng.uniform(0.05, 1, (3, 4)).astype(np.float32)
    if log_target:
        y = np.log(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reduction='mean' warns in both
        check_op(lambda lib, x, y: F(lib).kl_div(x, y, reduction=red, log_target=log_target),
                 arrays=[x, y])


def test_kl_div_zero_target_and_mean_warning():
    x = np.log(np.array([0.2, 0.3, 0.5], np.float32))
    y = np.array([0.0, 0.4, 0.6], np.float32)
    check_op(lambda lib, x, y: F(lib).kl_div(x, y, reduction="sum"), arrays=[x, y],
             gradcheck=False)  # torch's target gradient at 0 is nan; ember matches it
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F(ember).kl_div(ember.tensor(x), ember.tensor(y))


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("log_input,full", [(True, False), (False, False), (True, True),
                                            (False, True)])
def test_poisson_nll_loss(red, log_input, full):
    rng = _rng(8)
    x = rng.uniform(-1, 1, (4, 3)) if log_input else rng.uniform(0.2, 3, (4, 3))
    x = x.astype(np.float32)
    y = rng.uniform(0.1, 4, (4, 3)).astype(np.float32)
    check_op(lambda lib, x, y: F(lib).poisson_nll_loss(x, y, log_input=log_input, full=full,
                                                        reduction=red), arrays=[x, y])


@pytest.mark.parametrize("var_shape", [(4, 3), (4,), (4, 1), None])
@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_loss(var_shape, red, full):
    rng = _rng(9)
    x, y = make_arrays([(4, 3), (4, 3)])
    arrays = [x, y]
    if var_shape is not None:
        var = rng.uniform(0.1, 2, var_shape).astype(np.float32)
        var.reshape(-1)[0] = 1e-8  # clamped at eps; the gradient passes through as in torch
        arrays.append(var)

    def fn(lib, x, y, var=0.7):
        return F(lib).gaussian_nll_loss(x, y, var, full=full, reduction=red)
    check_op(fn, arrays=arrays, gradcheck=False)
    if var_shape is not None:
        arrays[2] = np.abs(arrays[2]) + 0.5
        check_op(fn, arrays=arrays)


# -- margin and embedding losses -------------------------------------------------------
def pm_one(shape, seed=0):
    return np.where(_rng(seed).random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


@pytest.mark.parametrize("red", REDUCTIONS)
def test_soft_margin_loss(red):
    y = pm_one((4, 3))
    check_op(lambda lib, x: F(lib).soft_margin_loss(x, const(lib, y, x), reduction=red), [(4, 3)])


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(4, 3), (3,)])
def test_multilabel_soft_margin_loss(red, weighted, shape):
    w = _rng(1).uniform(0.5, 2, shape[-1])
    y = (_rng(2).random(shape) < 0.5).astype(np.float32)
    check_op(lambda lib, x, y: F(lib).multilabel_soft_margin_loss(
        x, y, weight=const(lib, w, x) if weighted else None, reduction=red),
        arrays=[make_arrays([shape])[0], y])


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 0.3])
def test_hinge_embedding_loss(red, margin):
    check_op(lambda lib, x, y: F(lib).hinge_embedding_loss(x, y, margin=margin, reduction=red),
             arrays=[make_arrays([(5, 2)])[0], pm_one((5, 2))])


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.4])
@pytest.mark.parametrize("batched", [True, False])
def test_cosine_embedding_loss(red, margin, batched):
    shape, tshape = ((5, 4), (5,)) if batched else ((4,), ())
    t = np.array([1, -1, 1, -1, 1])[:5 if batched else 1].reshape(tshape)
    check_op(lambda lib, a, b, t: F(lib).cosine_embedding_loss(a, b, t, margin=margin,
                                                               reduction=red),
             arrays=make_arrays([shape, shape]) + [t])


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.5])
def test_margin_ranking_loss(red, margin):
    check_op(lambda lib, a, b, y: F(lib).margin_ranking_loss(a, b, y, margin=margin,
                                                             reduction=red),
             arrays=make_arrays([(6,), (6,)]) + [pm_one((6,))])


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("p,swap,margin", [(2, False, 1.0), (1, True, 0.5), (3, False, 2.0),
                                           (2, True, 1.0)])
@pytest.mark.parametrize("shape", [(4, 5), (5,)])
def test_triplet_margin_loss(red, p, swap, margin, shape):
    check_op(lambda lib, a, pos, neg: F(lib).triplet_margin_loss(a, pos, neg, margin=margin, p=p,
                                                                 swap=swap, reduction=red),
             [shape] * 3, seed=3)


@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("custom", [False, True])
def test_triplet_margin_with_distance_loss(swap, custom):
    def fn(lib, a, p, n):
        dist = (lambda u, v: (u - v).abs().sum(-1)) if custom else None
        return F(lib).triplet_margin_with_distance_loss(a, p, n, distance_function=dist,
                                                        swap=swap, margin=1.5)
    check_op(fn, [(4, 5)] * 3, seed=4)


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("p,margin,weighted", [(1, 1.0, False), (2, 0.5, False), (1, 1.0, True),
                                               (2, 2.0, True)])
@pytest.mark.parametrize("shapes", [((5, 4), (5,)), ((4,), ()), ((4,), (1,))])
def test_multi_margin_loss(red, p, margin, weighted, shapes):
    xs, ts = shapes
    c = xs[-1]
    w = _rng(1).uniform(0.5, 2, c)
    t = class_targets(ts, c)
    check_op(lambda lib, x, t: F(lib).multi_margin_loss(
        x, t, p=p, margin=margin, weight=const(lib, w, x) if weighted else None, reduction=red),
        arrays=[make_arrays([xs])[0], t])


@pytest.mark.parametrize("red", REDUCTIONS)
def test_multilabel_margin_loss(red):
    t = np.array([[1, 0, -1, 2], [3, -1, 0, 0], [0, 1, 2, 3], [2, 2, -1, 1]])
    check_op(lambda lib, x, t: F(lib).multilabel_margin_loss(x, t, reduction=red),
             arrays=[make_arrays([(4, 4)])[0], t])
    check_op(lambda lib, x, t: F(lib).multilabel_margin_loss(x, t, reduction=red),
             arrays=[make_arrays([(4,)])[0], t[0]])


# -- CTC ---------------------------------------------------------------------------------
CTC_TARGETS = np.array([[1, 1, 2, 3], [2, 3, 0, 0], [4, 4, 4, 0], [1, 2, 3, 4]])


@pytest.mark.parametrize("red", REDUCTIONS)
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("layout", ["padded", "concatenated", "tuples"])
def test_ctc_loss(red, zero_infinity, layout):
    input_lengths = [7, 5, 7, 2 if zero_infinity else 6]   # 2 steps cannot emit 3 labels: inf
    target_lengths = [4, 2, 0, 3]
    targets = CTC_TARGETS
    if layout == "concatenated":
        targets = np.concatenate([row[:n] for row, n in zip(CTC_TARGETS, target_lengths)])

    def fn(lib, x, t):
        lengths = (tuple(input_lengths), tuple(target_lengths)) if layout == "tuples" else \
            (lib.tensor(input_lengths), lib.tensor(target_lengths))
        return F(lib).ctc_loss(x.log_softmax(2), t, *lengths, reduction=red,
                               zero_infinity=zero_infinity)
    check_op(fn, arrays=[make_arrays([(7, 4, 5)])[0], targets])


def test_ctc_loss_unbatched_and_blank_and_direct_gradient():
    x = make_arrays([(6, 5)])[0]
    check_op(lambda lib, x, t: F(lib).ctc_loss(x.log_softmax(1), t, lib.tensor(6), lib.tensor(3),
                                               blank=4, reduction="none"),
             arrays=[x, np.array([0, 2, 2])])
    # the gradient w.r.t. log_probs themselves is torch's (softmax-fused) one
    lp = np.log(np.full((5, 2, 3), 1 / 3, np.float32))
    check_op(lambda lib, lp, t: F(lib).ctc_loss(lp, t, lib.tensor([5, 4]), lib.tensor([2, 1])),
             arrays=[lp, np.array([[1, 2], [2, 0]])], gradcheck=False)


# -- legacy flags and reductions -------------------------------------------------------
@pytest.mark.parametrize("size_average,reduce,expected", [
    (None, False, "none"), (False, None, "sum"), (True, True, "mean"), (False, False, "none")])
def test_legacy_size_average_reduce(size_average, reduce, expected):
    rng = _rng(0)
    x, t = rng.standard_normal((4, 3)).astype(np.float32), class_targets((4,), 3)
    with pytest.warns(UserWarning, match=f"please use reduction='{expected}' instead"):
        out = F(ember).cross_entropy(ember.tensor(x), ember.tensor(t), size_average=size_average,
                                     reduce=reduce)
    assert_close(out, torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(t),
                                                        reduction=expected))
    with pytest.warns(UserWarning, match=f"reduction='{expected}'"):
        m = nn.MSELoss(size_average=size_average, reduce=reduce)
    assert m.reduction == expected


def test_elementwise_mean_is_deprecated_mean():
    with pytest.warns(UserWarning, match="elementwise_mean"):
        out = F(ember).l1_loss(ember.ones(3), ember.zeros(3), reduction="elementwise_mean")
    assert out.item() == 1.0


# -- modules -----------------------------------------------------------------------------
MODULES = [
    ("L1Loss", {}, "l1_loss", {}), ("MSELoss", dict(reduction="sum"), "mse_loss", {}),
    ("HuberLoss", dict(delta=0.5), "huber_loss", {}),
    ("SmoothL1Loss", dict(beta=0.5), "smooth_l1_loss", {}),
    ("SoftMarginLoss", {}, "soft_margin_loss", {}),
    ("KLDivLoss", dict(reduction="batchmean", log_target=True), "kl_div", {}),
    ("PoissonNLLLoss", dict(log_input=False, full=True), "poisson_nll_loss", {}),
    ("BCEWithLogitsLoss", dict(pos_weight=[2.0, 0.5, 1.0]), None, {}),
    ("MultiLabelSoftMarginLoss", dict(weight=[1.0, 2.0, 0.5]), None, {}),
]


def _build(lib, name, kw):
    kw = {k: lib.tensor(v) if isinstance(v, list) else v for k, v in kw.items()}
    return getattr(lib.nn, name)(**kw)


@pytest.mark.parametrize("name,kw,_fn,_fkw", MODULES)
def test_pointwise_loss_modules(name, kw, _fn, _fkw):
    rng = _rng(0)
    x = rng.uniform(0.2, 2, (4, 3)).astype(np.float32)
    y = rng.uniform(0.2, 1, (4, 3)).astype(np.float32)
    if name == "SoftMarginLoss":  # torch gives its target no gradient
        check_op(lambda lib, x: _build(lib, name, kw)(x, const(lib, y, x)), arrays=[x])
        return
    check_op(lambda lib, x, y: _build(lib, name, kw).to(x.dtype)(x, y), arrays=[x, y])


def test_class_loss_modules():
    t = class_targets((5,), 4, ignore=2)
    w = [0.5, 1.0, 2.0, 1.5]
    for name, kw in [("CrossEntropyLoss", dict(weight=w, ignore_index=2, label_smoothing=0.1)),
                     ("NLLLoss", dict(weight=w, ignore_index=2, reduction="sum")),
                     ("MultiMarginLoss", dict(p=2, margin=0.5, weight=w))]:
        t_ = np.where(t == 2, 3, t) if name == "MultiMarginLoss" else t
        check_op(lambda lib, x, t: _build(lib, name, kw).to(x.dtype)(x, t),
                 arrays=[make_arrays([(5, 4)])[0], t_])


def test_three_input_and_ctc_modules():
    a, b = make_arrays([(4, 3), (4, 3)])
    y = pm_one((4,))
    check_op(lambda lib, a, b, y: lib.nn.CosineEmbeddingLoss(margin=0.2)(a, b, y), arrays=[a, b, y])
    check_op(lambda lib, a, b, y: lib.nn.MarginRankingLoss(0.1)(a[:, 0], b[:, 0], y),
             arrays=[a, b, y])
    check_op(lambda lib, a, p, n: lib.nn.TripletMarginLoss(p=1, swap=True)(a, p, n), [(4, 3)] * 3)
    check_op(lambda lib, a, p, n: lib.nn.TripletMarginWithDistanceLoss(margin=2.0)(a, p, n),
             [(4, 3)] * 3)
    check_op(lambda lib, x, y, v: lib.nn.GaussianNLLLoss(full=True)(x, y, v),
             [(4, 3), (4, 3), (4, 1)], positive=True)
    check_op(lambda lib, x, t: lib.nn.BCELoss(weight=lib.tensor([1.0, 2.0, 0.5]))(x.sigmoid(), t),
             arrays=[a, (np.abs(b) / 2).clip(0, 1)])
    check_op(lambda lib, x, t: lib.nn.HingeEmbeddingLoss(0.5)(x, t), arrays=[a, pm_one((4, 3))])
    check_op(lambda lib, x, t: lib.nn.MultiLabelMarginLoss()(x, t),
             arrays=[a, np.array([[0, -1, 1], [2, 1, -1], [1, 0, 2], [-1, 0, 0]])])
    check_op(lambda lib, x, t: lib.nn.CTCLoss(blank=1)(x.log_softmax(2), t, (5, 4), (2, 1)),
             arrays=[make_arrays([(5, 2, 3)])[0], np.array([[0, 2], [2, 0]])])


REPR_CASES = [("L1Loss", {}), ("MSELoss", {}), ("HuberLoss", dict(delta=2.0)), ("SmoothL1Loss", {}),
              ("CrossEntropyLoss", dict(weight=[1.0, 2.0], label_smoothing=0.1)), ("NLLLoss", {}),
              ("BCELoss", {}), ("BCEWithLogitsLoss", dict(pos_weight=[1.0, 2.0])),
              ("KLDivLoss", {}), ("PoissonNLLLoss", {}), ("GaussianNLLLoss", {}),
              ("SoftMarginLoss", {}), ("MultiLabelSoftMarginLoss", {}),
              ("MultiLabelMarginLoss", {}),
              ("MultiMarginLoss", {}), ("HingeEmbeddingLoss", {}), ("CosineEmbeddingLoss", {}),
              ("MarginRankingLoss", {}), ("TripletMarginLoss", {}), ("CTCLoss", {}),
              ("TripletMarginWithDistanceLoss", dict(swap=True))]


@pytest.mark.parametrize("name,kw", REPR_CASES)
def test_module_repr_attributes_and_buffers_match_torch(name, kw):
    e, t = _build(ember, name, kw), _build(torch, name, kw)
    assert repr(e) == repr(t)
    public = {k: v for k, v in vars(t).items() if not k.startswith("_") and k != "training"}
    assert {k: getattr(e, k) for k in public} == public
    assert list(e.state_dict()) == list(t.state_dict())
    for k, v in t.state_dict().items():
        assert_close(e.state_dict()[k], v)


def test_loss_weight_buffer_follows_module_to():
    m = nn.CrossEntropyLoss(weight=ember.ones(3)).to(ember.float64)
    assert m.weight.dtype == ember.float64


def test_loss_module_errors_name_the_criterion():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.criterion = nn.CrossEntropyLoss()

        def forward(self, x, t):
            return self.criterion(x, t)

    with pytest.raises(IndexError, match=r"^criterion \(CrossEntropyLoss\(\)\): Target 10 is out "
                                         r"of bounds: cross_entropy got target value 10 at index "
                                         r"\(3,\) but the input has 10 classes"):
        Model()(ember.randn(4, 10), ember.tensor([1, 2, 3, 10]))
    with pytest.raises(ValueError, match=r"^BCELoss\(\): Using a target size"):
        nn.BCELoss()(ember.rand(4, 1), ember.rand(4))


# -- errors ------------------------------------------------------------------------------
def _x(*shape):
    return ember.randn(*shape)


ERRORS = [
    (lambda: F(ember).cross_entropy(_x(4, 10), ember.tensor([1, 2, 10, 3])), IndexError,
     r"^Target 10 is out of bounds: cross_entropy got target value 10 at index \(2,\) but the "
     r"input has 10 classes \(valid: 0..9 or ignore_index=-100\)$"),
    (lambda: F(ember).nll_loss(_x(2, 3, 2), ember.tensor([[0, 1], [-1, 2]])), IndexError,
     r"Target -1 is out of bounds: nll_loss got target value -1 at index \(1, 0\)"),
    (lambda: F(ember).cross_entropy(_x(4, 10), ember.tensor([1.0, 2.0, 1.0, 3.0])), RuntimeError,
     r"cross_entropy: expected target dtype to be Long or Byte \(class indices\), but got Float; "
     r"a floating-point target is read as class probabilities only when it has the input's "
     r"shape \[4, 10\], got \[4\]"),
    (lambda: F(ember).cross_entropy(_x(4, 10), ember.tensor([1, 2, 3, 4], dtype=ember.int32)),
     RuntimeError, "expected target dtype to be Long or Byte"),
    (lambda: F(ember).cross_entropy(_x(64, 10), ember.zeros(32, dtype=ember.int64)), ValueError,
     r"^Expected input batch_size \(64\) to match target batch_size \(32\)\.$"),
    (lambda: F(ember).cross_entropy(_x(4, 3), ember.zeros(4, 2).long()), RuntimeError,
     "0D or 1D target tensor expected, multi-target not supported"),
    (lambda: F(ember).cross_entropy(_x(2, 3, 4), ember.zeros(2, 3).long()), RuntimeError,
     r"Expected target size \[2, 4\], got \[2, 3\]"),
    (lambda: F(ember).cross_entropy(_x(10), ember.tensor([1, 2])), ValueError,
     "For 1D input, 1D target must have size 1"),
    (lambda: F(ember).nll_loss(_x(10), ember.tensor([[1]])), RuntimeError,
     "0D or 1D target tensor expected"),
    (lambda: F(ember).cross_entropy(ember.tensor(1.0), ember.tensor(0)), ValueError,
     r"Expected 1 or more dimensions \(got 0\)"),
    (lambda: F(ember).cross_entropy(_x(4, 10), ember.zeros(4).long(), weight=ember.ones(9)),
     RuntimeError, r"defined either for all 10 classes or no classes but got weight tensor of "
                   r"shape: \[9\]"),
    (lambda: F(ember).nll_loss(_x(4, 3), ember.zeros(4).long(), weight=ember.ones(3).double()),
     RuntimeError, "expected scalar type Float but found Double"),
    (lambda: F(ember).cross_entropy(_x(4, 3), ember.zeros(4).long(), reduction="avg"), ValueError,
     "avg is not a valid value for reduction"),
    (lambda: F(ember).cross_entropy(_x(4, 3), ember.zeros(4).long(), label_smoothing=1.5),
     RuntimeError, r"label_smoothing must be between 0.0 and 1.0. Got: 1.5"),
    (lambda: F(ember).cross_entropy(_x(4, 3), ember.rand(4, 3), ignore_index=1), RuntimeError,
     "ignore_index is not supported for floating point target"),
    (lambda: F(ember).cross_entropy(_x(4, 3), ember.zeros(4, 3).long()), RuntimeError,
     "Expected floating point type for target with class probabilities, got Long"),
    (lambda: F(ember).cross_entropy(_x(4, 3).long(), ember.zeros(4).long()), NotImplementedError,
     "not implemented for 'Long'"),
    (lambda: F(ember).cross_entropy([1.0, 2.0], ember.zeros(4).long()), TypeError,
     r"cross_entropy\(\): argument 'input' \(position 1\) must be Tensor, not list"),
    (lambda: F(ember).cross_entropy(_x(4, 3), ember.zeros(4).long(),
                                    weight=ember.ones(3, requires_grad=True)), RuntimeError,
     "not differentiable with respect to argument 'weight'"),
    (lambda: F(ember).binary_cross_entropy(ember.rand(4, 1), ember.rand(4)), ValueError,
     r"^Using a target size \(ember.Size\(\[4\]\)\) that is different to the input size "
     r"\(ember.Size\(\[4, 1\]\)\) is deprecated. Please ensure they have the same size.$"),
    (lambda: F(ember).binary_cross_entropy(ember.tensor([0.5, 1.5]), ember.rand(2)), RuntimeError,
     "all elements of input should be between 0 and 1"),
    (lambda: F(ember).binary_cross_entropy(ember.rand(4), ember.rand(4).double()), RuntimeError,
     "Found dtype Double but expected Float"),
    (lambda: F(ember).binary_cross_entropy(ember.rand(4, 3), ember.rand(4, 3),
                                           weight=ember.rand(4, 4, 3)), RuntimeError,
     r"weight of shape \[4, 4, 3\] does not broadcast to the input's shape \[4, 3\]"),
    (lambda: F(ember).binary_cross_entropy_with_logits(_x(4, 1), ember.rand(4)), ValueError,
     r"Target size \(ember.Size\(\[4\]\)\) must be the same as input size"),
    (lambda: F(ember).binary_cross_entropy_with_logits(_x(4, 3), ember.ones(4, 3).long()),
     RuntimeError, "target must be floating point, got Long"),
    (lambda: F(ember).mse_loss(_x(4, 1), _x(3, 2)), RuntimeError, "broadcast"),
    (lambda: F(ember).mse_loss(ember.ones(3).long(), ember.ones(3).long()), NotImplementedError,
     "\"mse_loss\" not implemented for 'Long'"),
    (lambda: F(ember).l1_loss(ember.ones(3).long(), ember.ones(3).long()), RuntimeError,
     "mean\\(\\): could not infer output dtype"),
    (lambda: F(ember).mse_loss(_x(3), _x(3), weight=ember.ones(2)), ValueError,
     "Weights and input must have the same size"),
    (lambda: F(ember).huber_loss(_x(3), _x(3), delta=0), RuntimeError,
     "huber_loss does not support non-positive values for delta"),
    (lambda: F(ember).smooth_l1_loss(_x(3), _x(3), beta=-1), RuntimeError,
     "smooth_l1_loss does not support negative values for beta"),
    (lambda: F(ember).kl_div(_x(3), ember.ones(3).long()), RuntimeError,
     "kl_div: Integral inputs not supported"),
    (lambda: F(ember).kl_div(_x(3), _x(3), reduction="batch"), ValueError,
     "batch is not a valid value for reduction"),
    (lambda: F(ember).gaussian_nll_loss(_x(3, 2), _x(3, 2), ember.ones(3, 3)), ValueError,
     r"var is of incorrect size: \[3, 3\] for input of shape \[3, 2\]"),
    (lambda: F(ember).gaussian_nll_loss(_x(3, 2), _x(3, 2), -ember.ones(3, 2)), ValueError,
     "var has negative entry/entries"),
    (lambda: F(ember).gaussian_nll_loss(_x(3, 2), _x(3, 2), 1.0, reduction="x"), ValueError,
     "x is not valid"),
    (lambda: F(ember).soft_margin_loss(ember.ones(3).long(), ember.ones(3).long()), RuntimeError,
     "result type Float can't be cast"),
    (lambda: F(ember).cosine_embedding_loss(_x(3, 4), _x(3, 4), ember.tensor(1)), RuntimeError,
     r"0D target tensor expects 1D input tensors, but found inputs with sizes \[3, 4\] and "
     r"\[3, 4\]"),
    (lambda: F(ember).cosine_embedding_loss(_x(3, 4, 2), _x(3, 4, 2), ember.ones(3, 4)),
     RuntimeError, "0D or 1D target tensor expected"),
    (lambda: F(ember).margin_ranking_loss(_x(3), _x(3, 1), ember.ones(3)), RuntimeError,
     r"All input tensors should have same dimension but got sizes: input1: ember.Size\(\[3\]\), "
     r"input2: ember.Size\(\[3, 1\]\)"),
    (lambda: F(ember).triplet_margin_loss(_x(3, 4), _x(3, 4), _x(4)), RuntimeError,
     "anchor 2D, positive 2D, and negative 1D inputs"),
    (lambda: F(ember).triplet_margin_loss(_x(3, 4), _x(3, 4), _x(3, 4), margin=0), ValueError,
     "margin must be greater than 0, got 0"),
    (lambda: F(ember).multi_margin_loss(_x(3, 4), ember.tensor([1, 0, 4])), RuntimeError,
     r"target out of range: value 4 at index \(2,\), but the input has 4 classes"),
    (lambda: F(ember).multi_margin_loss(_x(3, 4), ember.tensor([1, 0])), RuntimeError,
     r"Expected target size \[3\], but got \[2\]. Input has shape \[3, 4\]"),
    (lambda: F(ember).multi_margin_loss(_x(3, 4, 2), ember.tensor([1, 0, 1])), RuntimeError,
     r"Expected non-empty vector or matrix with optional 0-dim batch size, but got: \[3, 4, 2\]"),
    (lambda: F(ember).multi_margin_loss(_x(3, 4), ember.tensor([1, 0, 1]), p=3), ValueError,
     "only p == 1 and p == 2 supported"),
    (lambda: F(ember).multi_margin_loss(_x(3, 4), ember.tensor([1, 0, 1]),
                                        weight=ember.ones(3)), RuntimeError,
     r"inconsistent weight size, expected 4 but got \[3\]"),
    (lambda: F(ember).multi_margin_loss(_x(3, 4), ember.tensor([1.0, 0, 1])), RuntimeError,
     "expected scalar type Long but found Float"),
    (lambda: F(ember).multilabel_margin_loss(_x(2, 3), ember.tensor([[0, 3, -1], [0, -1, 0]])),
     RuntimeError, r"target out of range: value 3 at index \(0, 1\)"),
    (lambda: F(ember).ctc_loss(_x(6, 3, 5), ember.ones(3, 4).long(), ember.tensor([7, 5, 6]),
                               ember.tensor([4, 2, 0])), RuntimeError,
     "Expected input_lengths to have value at most 6, but got value 7"),
    (lambda: F(ember).ctc_loss(_x(6, 3, 5), ember.ones(3, 4).long(), ember.tensor([6, 5, 6]),
                               ember.tensor([5, 2, 0])), RuntimeError,
     "Expected tensor to have size at least 5 at dimension 1, but got size 4"),
    (lambda: F(ember).ctc_loss(_x(6, 3, 5), ember.ones(3, 4).long(), ember.tensor([6, 5]),
                               ember.tensor([4, 2, 0])), RuntimeError,
     "input_lengths must be of size batch_size"),
    (lambda: F(ember).ctc_loss(_x(6, 3, 5), ember.ones(3, 4).long(), ember.tensor([6, 5, 6]),
                               ember.tensor([4, 2, 0]), blank=5), RuntimeError,
     "blank must be in label range"),
    (lambda: F(ember).ctc_loss(_x(6, 3, 5), ember.ones(3, 4).long(), ember.tensor([6, 5, 6.0]),
                               ember.tensor([4, 2, 0])), RuntimeError,
     "input_lengths must be integral"),
    (lambda: F(ember).ctc_loss(_x(6, 3, 5), ember.ones(7).long(), ember.tensor([6, 5, 6]),
                               ember.tensor([4, 2, 0])), RuntimeError,
     "Expected tensor to have size 6 at dimension 0"),
    (lambda: nn.MultiMarginLoss(p=3), ValueError, "only p == 1 and p == 2 supported"),
    (lambda: nn.TripletMarginLoss(margin=0), ValueError,
     "TripletMarginLoss: expected margin to be greater than 0, got 0 instead"),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    fn, exc, match = ERRORS[i]
    with pytest.raises(exc, match=match):
        fn()
