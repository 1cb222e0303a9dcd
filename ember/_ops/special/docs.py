"""The runnable examples of the ``ember.special`` functions that ``funcs.py`` makes with
factories: for each name, the arguments of the call and the printed result."""

_X = "ember.tensor([0.5, 1.0])"
_P = "ember.tensor([0.5, 1.0]), 2"

EXAMPLES = {
    "erfcx": ("ember.tensor([0.0, 30.0])", "tensor([1.0000, 0.0188])"),
    "ndtr": (_X, "tensor([0.6915, 0.8413])"),
    "ndtri": ("ember.tensor([0.5, 0.975])", "tensor([0.0000, 1.9600])"),
    "log_ndtr": ("ember.tensor([0.0, -10.0])", "tensor([ -0.6931, -53.2313])"),
    "i0e": (_X, "tensor([0.6450, 0.4658])"),
    "i1": (_X, "tensor([0.2579, 0.5652])"),
    "i1e": (_X, "tensor([0.1564, 0.2079])"),
    "entr": ("ember.tensor([0.5, 0.0])", "tensor([0.3466, 0.0000])"),
    "bessel_j0": (_X, "tensor([0.9385, 0.7652])"),
    "bessel_j1": (_X, "tensor([0.2423, 0.4401])"),
    "bessel_y0": (_X, "tensor([-0.4445,  0.0883])"),
    "bessel_y1": (_X, "tensor([-1.4715, -0.7812])"),
    "modified_bessel_i0": (_X, "tensor([1.0635, 1.2661])"),
    "modified_bessel_i1": (_X, "tensor([0.2579, 0.5652])"),
    "modified_bessel_k0": (_X, "tensor([0.9244, 0.4210])"),
    "modified_bessel_k1": (_X, "tensor([1.6564, 0.6019])"),
    "scaled_modified_bessel_k0": (_X, "tensor([1.5241, 1.1445])"),
    "scaled_modified_bessel_k1": (_X, "tensor([2.7310, 1.6362])"),
    "airy_ai": (_X, "tensor([0.2317, 0.1353])"),
    "chebyshev_polynomial_t": (_P, "tensor([-0.5000,  1.0000])"),
    "chebyshev_polynomial_u": (_P, "tensor([0., 3.])"),
    "chebyshev_polynomial_v": (_P, "tensor([-1.,  1.])"),
    "chebyshev_polynomial_w": (_P, "tensor([1., 5.])"),
    "shifted_chebyshev_polynomial_t": (_P, "tensor([-1.,  1.])"),
    "shifted_chebyshev_polynomial_u": (_P, "tensor([-1.,  3.])"),
    "shifted_chebyshev_polynomial_v": (_P, "tensor([-1.,  1.])"),
    "shifted_chebyshev_polynomial_w": (_P, "tensor([-1.,  5.])"),
    "hermite_polynomial_h": (_P, "tensor([-1.,  2.])"),
    "hermite_polynomial_he": (_P, "tensor([-0.7500,  0.0000])"),
    "laguerre_polynomial_l": (_P, "tensor([ 0.1250, -0.5000])"),
    "legendre_polynomial_p": (_P, "tensor([-0.1250,  1.0000])"),
}
