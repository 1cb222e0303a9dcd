"""Rows of ``nn.functional``: activations, dropout, linear layers and embeddings, convolution,
padding and resampling, pooling, normalisation, losses and attention."""
import numpy as np

from .core import FLOATS, OpRow, Sample
from .samples import unary_samples

SDPA_NAME = {"grad_fn": (
    "grad_fn AttentionBackward0, torch UnsafeViewBackward0: torch's node follows its kernel "
    "choice (its CPU flash kernel for contiguous 4-D inputs without dropout, else the math "
    "path's view); ember has one fused attention node (issue 9 item 13)")}


def fn(name, samples, xfail=None, **kw):
    """A row for ``nn.functional.<name>``."""
    return OpRow("nn.functional." + name, samples, xfail=dict(xfail or {}), **kw)


def act(name, aliases=(), **kw):
    """An activation: unary samples (with NaN/inf), keyword arguments from ``kwargs``."""
    kwargs = kw.pop("kwargs", {})
    return fn(name, unary_samples(**kwargs), aliases=tuple("nn.functional." + a for a in aliases),
              kind="unary", **kw)


def _dropout(shape):
    return lambda make: [Sample("train", (make(shape),), {"p": 0.5}),
                         Sample("eval", (make(shape),), {"p": 0.5, "training": False}),
                         Sample("p0", (make(shape),), {"p": 0.0})]


def _linear(make):
    return [Sample("bias", (make((2, 3)), make((4, 3)), make((4,)))),
            Sample("no_bias", (make((2, 5, 3)), make((4, 3)))),
            Sample("1d", (make((3,)), make((2, 3)), make((2,))))]


def _bilinear(make):
    return [Sample("bias", (make((2, 3)), make((2, 4)), make((5, 3, 4)), make((5,)))),
            Sample("small", (make((1, 2)), make((1, 2)), make((2, 2, 2)), make((2,))))]


def _embedding(make):
    idx = make.values([[0, 2], [3, 1]], "int64", grad=False)
    return [Sample("plain", (idx, make((4, 3)))),
            Sample("padding", (idx, make((4, 3))), {"padding_idx": 1}, gradcheck=False),
            Sample("max_norm", (idx, make((4, 3))), {"max_norm": 1.0}, gradcheck=False)]


def _embedding_bag(make):
    idx = make.values([0, 2, 1, 3, 3], "int64", grad=False)
    offsets = make.values([0, 2], "int64", grad=False)
    return [Sample("mean", (idx, make((4, 3)), offsets)),
            Sample("sum", (idx, make((4, 3)), offsets), {"mode": "sum"}),
            Sample("max", (idx, make((4, 3)), offsets), {"mode": "max"}),
            Sample("2d", (make.values([[0, 1], [2, 3]], "int64", grad=False), make((4, 3))))]


def _one_hot(make):
    return [Sample("auto", (make.values([0, 2, 1], "int64", grad=False),)),
            Sample("classes", (make.values([[0, 1], [1, 0]], "int64", grad=False), 4))]


def _conv(nd, transpose=False):
    def gen(make):
        sp = (5,) * nd
        k = (3,) * nd
        w_in = (2, 3) if transpose else (3, 2)
        out = [Sample("small", (make((1, 1) + (3,) * nd), make((1, 1) + (2,) * nd))),
               Sample("bias", (make((2, 2) + sp), make(w_in + k), make((3,)))),
               Sample("stride_pad", (make((1, 2) + sp), make(w_in + k)), {"stride": 2, "padding": 1}),
               Sample("unbatched", (make((2,) + sp), make(w_in + k)))]
        if not transpose:
            out.append(Sample("dilation_groups", (make((1, 4) + sp), make((2, 2) + (2,) * nd)),
                              {"dilation": 2, "groups": 2}))
            out.append(Sample("same", (make((1, 2) + sp), make((3, 2) + k)), {"padding": "same"}))
        else:
            out.append(Sample("output_padding", (make((1, 2) + sp), make(w_in + k)),
                              {"stride": 2, "output_padding": 1}))
        return out
    return gen


def _pool(nd, **kwargs):
    def gen(make):
        sp = (6,) * nd
        return [Sample("small", (make((1, 1) + (4,) * nd), 2), dict(kwargs)),
                Sample("k2", (make((2, 2) + sp), 2), dict(kwargs)),
                Sample("stride_pad", (make((1, 2) + sp), 3), dict(kwargs, stride=2, padding=1)),
                Sample("unbatched", (make((2,) + sp), 2), dict(kwargs)),
                Sample("ceil", (make((1, 1) + (5,) * nd), 2), dict(kwargs, ceil_mode=True)),
                Sample("nonfinite", (make.values(np.resize(np.asarray(
                    [np.nan, 1.0, np.inf, -1.0, 0.5, -np.inf, 2.0]), (1, 1) + sp)), 2),
                    dict(kwargs))]
    return gen


def _lp_pool(nd):
    def gen(make):
        sp = (6,) * nd
        return [Sample("small", (make((1, 1) + (4,) * nd, low=0.1), 2.0, 2)),
                Sample("p2", (make((2, 2) + sp, low=0.1), 2.0, 2)),
                Sample("p1_stride", (make((1, 2) + sp, low=0.1), 1.0, 3), {"stride": 2}),
                Sample("nonfinite", (make.values(np.resize(np.asarray(
                    [np.nan, 1.0, 0.5, 2.0, 0.25]), (1, 1) + sp)), 2.0, 2))]
    return gen


def _adaptive(nd):
    def gen(make):
        return [Sample("shrink", (make((2, 2) + (7,) * nd), 3)),
                Sample("one", (make((1, 2) + (5,) * nd), 1)),
                Sample("unbatched", (make((2,) + (4,) * nd), 2)),
                Sample("grow", (make((1, 1) + (3,) * nd), 4))]
    return gen


def _unpool(nd):
    def call(lib, x, **kw):
        pool = getattr(lib.nn.functional, f"max_pool{nd}d")
        unpool = getattr(lib.nn.functional, f"max_unpool{nd}d")
        values, idx = pool(x, 2, return_indices=True)
        return unpool(values, idx, 2, **kw)
    samples = lambda make: [Sample("k2", (make.distinct((1, 1) + (4,) * nd),)),
                            Sample("output_size", (make.distinct((1, 1) + (5,) * nd),),
                                   {"output_size": (5,) * nd})]
    return dict(samples=samples, call=call)


def _pad(make):
    return [Sample("constant", (make((2, 3)), (1, 2)), {"value": 0.5}),
            Sample("2d", (make((1, 2, 3)), (1, 1, 2, 0))),
            Sample("negative", (make((3, 4)), (-1, 1))),
            Sample("reflect", (make((1, 2, 4)), (2, 1)), {"mode": "reflect"}),
            Sample("replicate", (make((1, 2, 3, 3)), (1, 2, 0, 1)), {"mode": "replicate"}),
            Sample("circular", (make((1, 2, 4)), (1, 2)), {"mode": "circular"})]


def _interpolate(make):
    return [Sample("nearest", (make((1, 2, 3, 3)),), {"scale_factor": 2}),
            Sample("bilinear", (make((1, 2, 3, 4)),), {"size": (5, 6), "mode": "bilinear"}),
            Sample("corners", (make((1, 1, 3, 3)),),
                   {"scale_factor": 2, "mode": "bilinear", "align_corners": True}),
            Sample("linear", (make((1, 2, 4)),), {"size": 7, "mode": "linear"}),
            Sample("nearest_exact", (make((1, 1, 5)),), {"size": 3, "mode": "nearest-exact"}),
            Sample("bicubic", (make((1, 1, 4, 4)),), {"size": (6, 5), "mode": "bicubic"}),
            Sample("area", (make((1, 1, 6, 6)),), {"size": (3, 2), "mode": "area"}),
            Sample("trilinear", (make((1, 1, 2, 3, 3)),), {"scale_factor": 2, "mode": "trilinear"})]


def _norm_layer(make):
    return [Sample("affine", (make((2, 3, 4)), (4,), make((4,)), make((4,)))),
            Sample("plain", (make((3, 2, 2)), (2, 2))),
            Sample("eps", (make((2, 5)), (5,)), {"eps": 1e-2})]


def _batch_norm(make):
    def stats():
        return (make((3,), grad=False), make((3,), low=0.5, high=2.0, grad=False))
    return [Sample("eval", (make((4, 3, 2)),) + stats() + (make((3,)), make((3,))),
                   {"training": False}),
            Sample("train", (make((4, 3)), None, None, make((3,)), make((3,))), {"training": True}),
            Sample("train_stats", (make((4, 3, 2)),) + stats(), {"training": True, "momentum": 0.2})]


def _group_norm(make):
    return [Sample("affine", (make((2, 4, 3)), 2, make((4,)), make((4,)))),
            Sample("plain", (make((2, 6)), 3))]


def _instance_norm(make):
    return [Sample("plain", (make((2, 3, 4)),)),
            Sample("affine", (make((2, 3, 4, 2)),), {"weight": make((3,)), "bias": make((3,))})]


def _rms_norm(make):
    return [Sample("weight", (make((2, 3, 4)), (4,), make((4,)))),
            Sample("eps", (make((3, 4)), (3, 4)), {"eps": 1e-3})]


def _lrn(make):
    return [Sample("3d", (make((2, 5, 4)), 3)), Sample("4d", (make((1, 4, 3, 3)), 2),
                                                       {"alpha": 0.1, "beta": 0.5, "k": 2.0})]


def _pairwise(make):
    return [Sample("2d", (make((3, 4)), make((3, 4)))), Sample("bcast", (make((3, 4)), make((4,))))]


def _pdist(make):
    return [Sample("p2", (make((4, 3)),)), Sample("p1", (make((3, 2)),), {"p": 1.0})]


def _normalize(make):
    return [Sample("default", (make((3, 4)),)), Sample("p1_dim0", (make((3, 4)),), {"p": 1, "dim": 0}),
            Sample("zeros", (make.values(np.zeros((2, 3))),), gradcheck=False)]


def _softmax_like(make):
    return [Sample("dim1", (make((3, 4)),), {"dim": 1}), Sample("dim0", (make((3, 4)), 0)),
            Sample("dtype", (make((3, 4)),), {"dim": -1})]


def _glu(make):
    return [Sample("last", (make((3, 4)),)), Sample("dim0", (make((4, 3)), 0))]


def _prelu(make):
    return [Sample("one", (make((2, 3, 4)), make((1,)))), Sample("channels", (make((2, 3, 4)), make((3,))))]


def _pixel(fn_name):
    if fn_name == "pixel_shuffle":
        return lambda make: [Sample("r2", (make((1, 8, 2, 3)), 2))]
    return lambda make: [Sample("r2", (make((1, 2, 4, 6)), 2))]


def _unfold(make):
    return [Sample("k2", (make((1, 2, 4, 4)), 2)),
            Sample("stride_pad", (make((2, 1, 5, 4)), (2, 3)), {"stride": 2, "padding": 1})]


def _fold(make):
    return [Sample("k2", (make((1, 8, 9)), (4, 4), 2)),
            Sample("stride", (make((2, 4, 4)), (4, 4), 2), {"stride": 2})]


# ---- losses -----------------------------------------------------------------------------

def _reductions(build):
    """Samples for each reduction mode of a loss built by ``build(make) -> args``."""
    def gen(make):
        return [Sample(r, build(make), {"reduction": r}) for r in ("mean", "sum", "none")]
    return gen


def _pair(make):
    return (make((3, 4)), make((3, 4)))


def _prob_target(make):
    return (make((3, 4), low=0.05, high=0.95), make((3, 4), low=0.0, high=1.0, grad=False))


def _logits_target(make):
    return (make((3, 4)), make((3, 4), low=0.0, high=1.0, grad=False))


def _sign_target(make):
    return (make((5,)), make.values(np.asarray([1, -1, 1, 1, -1]), grad=False))


def _class_target(make):
    return (make((4, 3)), make.values([0, 2, 1, 2], "int64", grad=False))


def _cross_entropy(make):
    x, t = _class_target(make)
    return [Sample("mean", (x, t)), Sample("sum", (x, t), {"reduction": "sum"}),
            Sample("none", (x, t), {"reduction": "none"}),
            Sample("weight", (x, t), {"weight": make((3,), low=0.5, grad=False)}),
            Sample("ignore", (x, make.values([0, -100, 1, 2], "int64", grad=False))),
            Sample("smoothing", (x, t), {"label_smoothing": 0.1}),
            Sample("probs", (x, make((4, 3), low=0.0, high=1.0, grad=False))),
            Sample("spatial", (make((2, 3, 2)), make.values([[0, 1], [2, 0]], "int64", grad=False))),
            Sample("unbatched", (make((3,)), make.values(1, "int64", grad=False)))]


def _nll(make):
    x, t = _class_target(make)
    return [Sample("mean", (x, t)), Sample("sum", (x, t), {"reduction": "sum"}),
            Sample("weight", (x, t), {"weight": make((3,), low=0.5, grad=False)}),
            Sample("ignore", (x, make.values([0, 1, 1, 2], "int64", grad=False)), {"ignore_index": 1})]


def _kl(make):
    inp = make((3, 4), low=-3, high=-0.1)
    return [Sample("batchmean", (inp, make((3, 4), low=0.05, high=1, grad=False)),
                   {"reduction": "batchmean"}),
            Sample("sum", (inp, make((3, 4), low=0.05, high=1, grad=False)), {"reduction": "sum"}),
            Sample("log_target", (inp, make((3, 4), low=-3, high=-0.1, grad=False)),
                   {"log_target": True, "reduction": "mean"})]


def _gaussian(make):
    return [Sample("mean", (make((3, 4)), make((3, 4), grad=False), make((3, 4), low=0.5))),
            Sample("full", (make((3, 4)), make((3, 4), grad=False), make((3, 1), low=0.5)),
                   {"full": True, "reduction": "sum"})]


def _poisson(make):
    return [Sample("log_input", (make((3, 4)), make((3, 4), low=0, high=3, grad=False))),
            Sample("rates", (make((3, 4), low=0.2), make((3, 4), low=0, high=3, grad=False)),
                   {"log_input": False, "full": True})]


def _margin_ranking(make):
    return [Sample("mean", (make((5,)), make((5,)), _sign_target(make)[1])),
            Sample("margin", (make((5,)), make((5,)), _sign_target(make)[1]),
                   {"margin": 0.5, "reduction": "sum"})]


def _cosine_embedding(make):
    return [Sample("mean", (make((5, 3)), make((5, 3)), _sign_target(make)[1])),
            Sample("margin", (make((5, 3)), make((5, 3)), _sign_target(make)[1]),
                   {"margin": 0.2, "reduction": "none"})]


def _hinge(make):
    return [Sample("mean", _sign_target(make)),
            Sample("margin", _sign_target(make), {"margin": 0.5, "reduction": "sum"})]


def _multi_margin(make):
    x, t = _class_target(make)
    return [Sample("mean", (x, t)), Sample("p2", (x, t), {"p": 2, "margin": 0.5}),
            Sample("weight", (x, t), {"weight": make((3,), low=0.5, grad=False)})]


def _multilabel_margin(make):
    return [Sample("mean", (make((2, 4)), make.values([[3, 0, -1, 1], [1, 2, 3, -1]], "int64",
                                                      grad=False)))]


def _triplet(make):
    return [Sample("mean", (make((3, 4)), make((3, 4)), make((3, 4)))),
            Sample("swap", (make((3, 4)), make((3, 4)), make((3, 4))), {"swap": True, "p": 1.0})]


def _triplet_distance(make):
    return [Sample("mean", (make((3, 4)), make((3, 4)), make((3, 4)))),
            Sample("margin", (make((3, 4)), make((3, 4)), make((3, 4))), {"margin": 0.3})]


def _ctc(make):
    logp = make((6, 2, 4), low=-3, high=-0.1)
    targets = make.values([[1, 2, 1], [3, 1, 0]], "int64", grad=False)
    return [Sample("mean", (logp, targets, (6, 5), (3, 2))),
            Sample("sum", (logp, targets, (6, 6), (3, 2)), {"reduction": "sum"})]


def _ctc_call(lib, logits, targets, in_len, tgt_len, **kw):
    """``ctc_loss`` on ``log_softmax`` of the inputs, lengths as tuples."""
    logp = lib.nn.functional.log_softmax(logits, dim=-1)
    return lib.nn.functional.ctc_loss(logp, targets, in_len, tgt_len, **kw)


def _sdpa(make):
    q, k, v = make((2, 3, 4)), make((2, 5, 4)), make((2, 5, 2))
    return [Sample("small", (make((1, 2, 3)), make((1, 3, 3)), make((1, 3, 2)))),
            Sample("plain", (q, k, v)), Sample("causal", (make((2, 3, 4)), make((2, 3, 4)),
                                                          make((2, 3, 4))), {"is_causal": True}),
            Sample("bool_mask", (q, k, v), {"attn_mask": make((3, 5), dtype="bool")}),
            Sample("float_mask", (q, k, v), {"attn_mask": make((3, 5), grad=False)}),
            Sample("scale", (q, k, v), {"scale": 0.3})]


def _mha(make):
    e, h = 4, 2
    return [Sample("self", (make((3, 2, e)), make((3, 2, e)), make((3, 2, e)), e, h,
                            make((3 * e, e)), make((3 * e,)), None, None, False, 0.0,
                            make((e, e)), make((e,))), {"training": False})]


def _loss(name, build, **kw):
    return fn(name, _reductions(build), **kw)


ROWS = [
    act("relu", aliases=("relu_",), dtypes=FLOATS),
    act("relu6"),
    act("elu", aliases=("elu_",)),
    act("elu", kwargs={"alpha": 0.5}, variant="alpha"),
    act("selu", aliases=("selu_",)),
    act("celu", aliases=("celu_",), kwargs={"alpha": 0.7}),
    act("gelu", xfail={"forward:nonfinite": "gelu(inf) is inf as in float64 and torch's scalar "
                                            "path; torch's float32 vector kernel gives NaN"}),
    act("gelu", kwargs={"approximate": "tanh"}, variant="tanh"),
    act("hardshrink", kwargs={"lambd": 0.4}, method=True),
    act("hardsigmoid"), act("hardswish"),
    act("hardtanh", aliases=("hardtanh_",), kwargs={"min_val": -0.5, "max_val": 1.0}),
    act("leaky_relu", aliases=("leaky_relu_",), kwargs={"negative_slope": 0.2}),
    act("logsigmoid"), act("mish"), act("sigmoid"), act("silu"), act("tanh"),
    act("softplus", kwargs={"beta": 2.0, "threshold": 3.0}),
    act("softshrink", kwargs={"lambd": 0.3}),
    act("softsign"),
    act("tanhshrink"),
    act("threshold", aliases=("threshold_",), kwargs={"threshold": 0.1, "value": -1.0}),
    act("rrelu", aliases=("rrelu_",), kwargs={"training": False}),
    fn("glu", _glu), fn("prelu", _prelu),
    fn("softmax", _softmax_like), fn("softmin", _softmax_like), fn("log_softmax", _softmax_like),
    fn("gumbel_softmax", lambda make: [Sample("soft", (make((3, 4)),)),
                                       Sample("hard", (make((3, 4)),), {"hard": True})],
       random=True),
    fn("normalize", _normalize), fn("cosine_similarity", _pairwise),
    fn("pairwise_distance", _pairwise), fn("pdist", _pdist),
    fn("one_hot", _one_hot, grad=False, dtypes=("int64",)),
    fn("linear", _linear), fn("bilinear", _bilinear),
    fn("embedding", _embedding),
    fn("embedding_bag", _embedding_bag),
    *[fn(name, _dropout(shape), random=True)
      for name, shape in (("dropout", (3, 4)), ("dropout1d", (2, 3, 4)), ("dropout2d", (2, 3, 2, 2)),
                          ("dropout3d", (2, 3, 2, 2, 2)))],
    fn("alpha_dropout", _dropout((3, 4)), random=True),
    fn("feature_alpha_dropout", _dropout((2, 3, 2, 2)), random=True),
    *[fn(f"conv{n}d", _conv(n), atol=1e-4) for n in (1, 2, 3)],
    *[fn(f"conv_transpose{n}d", _conv(n, True), atol=1e-4) for n in (1, 2, 3)],
    fn("unfold", _unfold), fn("fold", _fold),
    fn("pad", _pad), fn("pixel_shuffle", _pixel("pixel_shuffle")),
    fn("pixel_unshuffle", _pixel("pixel_unshuffle")),
    fn("interpolate", _interpolate, atol=1e-4),
    fn("upsample", lambda make: [Sample("nearest", (make((1, 2, 3)),), {"scale_factor": 2})]),
    fn("upsample_nearest", lambda make: [Sample("2d", (make((1, 1, 2, 3)),), {"size": (4, 5)})]),
    fn("upsample_bilinear", lambda make: [Sample("2d", (make((1, 1, 2, 3)),), {"scale_factor": 2})],
       xfail={"dtype:uint8": "uint8 raises NotImplementedError; torch has a fixed-point uint8 "
                             "kernel (Pillow-style border weights, rounding between passes)"}),
    *[fn(f"avg_pool{n}d", _pool(n)) for n in (1, 2, 3)],
    *[fn(f"max_pool{n}d", _pool(n)) for n in (1, 2, 3)],
    *[fn(f"max_pool{n}d_with_indices", _pool(n)) for n in (1, 2, 3)],
    *[fn(f"lp_pool{n}d", _lp_pool(n)) for n in (1, 2, 3)],
    *[fn(f"adaptive_avg_pool{n}d", _adaptive(n)) for n in (1, 3)],
    fn("adaptive_avg_pool2d",
       lambda make: _adaptive(2)(make) + [Sample("2d_input", (make((3, 4)), 1))]),
    # an inf cotangent reaching positions the op masks out: torch gives 0 there
    fn("relu", lambda make: [Sample("inf_cotangent", (make((3, 4)),))], variant="inf_cotangent",
       call=lambda lib, x: lib.nn.functional.relu(x) * float("inf"), gradcheck=False),
    fn("max_pool2d", lambda make: [Sample("inf_cotangent", (make((1, 1, 4, 4)),))],
       variant="inf_cotangent", gradcheck=False,
       call=lambda lib, x: lib.nn.functional.max_pool2d(x, 2) * float("inf")),
    *[fn(f"adaptive_max_pool{n}d", _adaptive(n)) for n in (1, 2, 3)],
    *[fn(f"adaptive_max_pool{n}d_with_indices", _adaptive(n)) for n in (1, 2, 3)],
    *[fn(f"max_unpool{n}d", **_unpool(n)) for n in (1, 2, 3)],
    fn("layer_norm", _norm_layer, atol=1e-4),
    fn("batch_norm", _batch_norm, atol=1e-4), fn("group_norm", _group_norm, atol=1e-4),
    fn("instance_norm", _instance_norm, atol=1e-4), fn("rms_norm", _rms_norm, atol=1e-4),
    fn("local_response_norm", _lrn, atol=1e-4),
    _loss("mse_loss", _pair), _loss("l1_loss", _pair),
    _loss("smooth_l1_loss", _pair), _loss("huber_loss", _pair),
    _loss("soft_margin_loss", _sign_target),
    _loss("binary_cross_entropy", _prob_target),
    _loss("binary_cross_entropy_with_logits", _logits_target),
    _loss("multilabel_soft_margin_loss", _logits_target),
    fn("cross_entropy", _cross_entropy), fn("nll_loss", _nll), fn("kl_div", _kl),
    fn("gaussian_nll_loss", _gaussian), fn("poisson_nll_loss", _poisson),
    fn("margin_ranking_loss", _margin_ranking),
    fn("cosine_embedding_loss", _cosine_embedding),
    fn("hinge_embedding_loss", _hinge),
    fn("multi_margin_loss", _multi_margin),
    fn("multilabel_margin_loss", _multilabel_margin),
    fn("triplet_margin_loss", _triplet), fn("triplet_margin_with_distance_loss", _triplet_distance),
    fn("ctc_loss", _ctc, call=_ctc_call, atol=1e-4),
    fn("scaled_dot_product_attention", _sdpa, atol=1e-4, xfail=SDPA_NAME),
    fn("multi_head_attention_forward", _mha, atol=1e-4, gradcheck=False),
]
