"""The norm of a model's whole gradient, computed so that it survives extreme values.

Gradient clipping needs the joint Euclidean norm of all gradients,
``sqrt(sum of every squared entry)``. Done naively in float32, squaring entries
of 1e20 overflows to inf and squaring entries of 1e-25 underflows to 0,
although the true norm is an ordinary number in both cases; and a gradient
that really holds inf or NaN must stop training before any step is taken.
"""

import math

import torch


def gradient_norm(grads):
    """The joint Euclidean norm of a list of gradient tensors, as a float.

    When the quick float32 result is infinite or tiny, the norm is computed
    again from gradients scaled by their largest entry. A gradient that really
    holds inf or NaN raises ``FloatingPointError``: no step should be taken with it.
    """
    if not grads:
        return 0.0
    norm = float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])))
    if math.isfinite(norm) and norm > 1e-18:  # below that, float32 squares lose digits or vanish
        return norm
    if not all(bool(torch.isfinite(g).all()) for g in grads):
        raise FloatingPointError("the gradient contains inf or NaN; no step was taken and the parameters are "
                                 "unchanged. Lower the learning rate or clip gradients with a smaller theta.")
    largest = max(float(g.abs().max()) for g in grads)
    if largest == 0:
        return 0.0
    scaled = [torch.linalg.vector_norm(g.double() / largest) for g in grads]
    return largest * float(torch.linalg.vector_norm(torch.stack(scaled)))
