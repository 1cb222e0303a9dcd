"""Public names and ``Op`` classes that need no row, each with a one-word reason.

Reasons: ``class`` (a type, not an op), ``dtype`` (a dtype object), ``setting`` (reads or
sets process state), ``grad-mode`` (autograd mode switch), ``autograd`` (graph bookkeeping on
a tensor), ``attribute`` (tensor metadata with no computation), ``device`` (needs a GPU),
``random-state`` (seeds and generator state), ``io`` (files), ``namespace`` (a holder of
names), ``not-in-torch`` (ember extra, no torch counterpart to compare with), ``leaked`` (a
helper imported into a public module by accident), ``unused`` (defined but never
called), ``constant`` (a number such as ``pi``), ``memory-format`` (a layout tag).
"""

_CLASSES = ("BoolTensor", "ByteTensor", "CharTensor", "ComplexDoubleTensor", "ComplexFloatTensor",
            "DoubleTensor", "FloatTensor", "HalfTensor", "IntTensor", "LongTensor", "ShortTensor",
            "Size", "Tensor", "Generator", "device", "dtype", "finfo", "iinfo", "autocast",
            "UntypedStorage", "memory_format", "TypedStorage", "GradScaler")
_DTYPES = ("bfloat16", "bool", "cdouble", "cfloat", "complex128", "complex64", "double", "float",
           "float16", "float32", "float64", "half", "int", "int16", "int32", "int64", "int8", "long",
           "short", "uint8", "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e4m3fnuz",
           "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu")
_SETTINGS = ("are_deterministic_algorithms_enabled", "compile", "get_autocast_dtype",
             "get_deterministic_debug_mode", "set_deterministic_debug_mode",
             "set_flush_denormal", "init_num_threads",
             "get_default_device", "get_default_dtype", "get_float32_matmul_precision",
             "get_num_interop_threads", "get_num_threads", "get_printoptions",
             "is_autocast_enabled", "is_deterministic_algorithms_warn_only_enabled",
             "set_default_device", "set_default_dtype", "set_default_tensor_type",
             "set_float32_matmul_precision", "set_num_interop_threads", "set_num_threads",
             "set_printoptions", "use_deterministic_algorithms")
_GRAD_MODE = ("enable_grad", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled",
              "no_grad", "set_grad_enabled")
_RANDOM_STATE = ("default_generator", "get_rng_state", "initial_seed", "manual_seed", "seed",
                 "set_rng_state", "thread_safe_generator")

EXCLUDED = {
    **{f"ember.{n}": "class" for n in _CLASSES},
    **{f"ember.{n}": "dtype" for n in _DTYPES},
    **{f"ember.{n}": "setting" for n in _SETTINGS},
    **{f"ember.{n}": "grad-mode" for n in _GRAD_MODE},
    **{f"ember.{n}": "random-state" for n in _RANDOM_STATE},
    "ember.save": "io", "ember.load": "io", "ember.PyTorchFileReader": "io", "ember.from_file": "io",
    "ember.layout": "class", "ember.strided": "attribute", "ember.ScriptFunction": "class", "ember.ScriptModule": "class", "ember.ops": "namespace",
    "ember.is_anomaly_enabled": "setting", "ember.is_anomaly_check_nan_enabled": "setting",
    **{f"ember.{n}": "constant" for n in ("e", "inf", "nan", "pi")},
    **{f"ember.{n}": "memory-format" for n in ("channels_last", "channels_last_3d",
                                               "contiguous_format", "preserve_format")},
    "ember.return_types": "namespace",
    **{f"Tensor.{n}": "autograd" for n in ("backward", "detach_", "grad", "grad_fn", "output_nr",
                                           "register_hook", "requires_grad_", "retain_grad",
                                           "retains_grad", "data",
                                           "register_post_accumulate_grad_hook")},
    **{f"Tensor.{n}": "attribute" for n in ("data_ptr", "device", "layout", "untyped_storage",
                                            "is_mps", "is_xpu", "const_data_ptr", "is_ipu",
                                            "is_sparse_csr", "is_xla", "storage", "storage_type",
                                            "is_shared", "share_memory_")},
    **{f"Tensor.{n}": "device" for n in ("cuda", "is_pinned", "pin_memory", "record_stream")},
    "ember.is_storage": "class",
    **{f"Tensor.{n}": "not-in-torch" for n in ("fmax_", "fmin_", "maximum_", "minimum_",
                                               "inner_product")},
    "linalg.LinAlgError": "class",
    "linalg.common_notes": "docs",
}

EXCLUDED_OPS = {
    "ember._ops.conversion.ToDevice": "device",
    "ember._ops.elementwise.ops.Positive": "unused",
}
