"""``torch.func``: composable function transforms.

``vmap`` runs a per-example function over a batch in one call per op (``_vmap``, with the
batched-tensor machinery in ``_batching`` and one batching rule per op family in ``_rules``);
``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd`` and ``hessian``
differentiate functions of tensors (``_transforms``), and compose with ``vmap``
(``vmap(grad(loss))`` gives per-example gradients); ``functional_call`` and
``stack_module_state`` turn modules into functions of their tensors (``_module``).
"""
from ._vmap import vmap
from ._transforms import grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian
from ._module import functional_call, stack_module_state

__all__ = ["vmap", "grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
           "functional_call", "stack_module_state"]
