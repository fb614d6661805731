"""The exercises of the chapter "Recurrent Neural Networks from Scratch" in which you write the code."""

import math

import torch

from .verdict import Problem, run_check


def clip_gradients(function):
    """Check ``function(grads, theta)``: scale gradients in place to joint norm at most θ; return the norm before."""
    return run_check("clip_gradients", function, _clip_cases)


def _clip_cases(function):
    cases = (("a large gradient", [torch.tensor([3.0, 0.0]), torch.tensor([[0.0, 4.0]])], 1.0),  # norm 5
             ("a gradient of two very unequal parts", [torch.tensor([30.0]), torch.tensor([0.4, 0.0])], 2.0),
             ("a gradient already below θ", [torch.tensor([0.3, 0.0]), torch.tensor([[0.0, 0.4]])], 1.0),
             ("a huge gradient (entries of 1e20, whose squares overflow float32)",
              [torch.tensor([1e20, 0.0]), torch.tensor([[0.0, 1e20]])], 1.0))
    for name, grads, theta in cases:
        original = [g.clone() for g in grads]
        norm_before = math.sqrt(sum(float((g.double() ** 2).sum()) for g in original))
        returned = function(grads, theta)
        norm_after = math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads))
        if returned is not None and math.isinf(float(returned)) or norm_after == 0:
            raise Problem(f"for {name} your function returned {returned!r} and left a norm of {norm_after:.4g}: the "
                          f"squares of entries of 1e20 overflow float32 to inf. Square in float64 (g.double()), or "
                          f"scale by the largest entry first.")
        flat = torch.cat([g.flatten() for g in grads]).double()
        flat_before = torch.cat([g.flatten() for g in original]).double()
        if norm_before <= theta:
            if not torch.allclose(flat, flat_before):
                raise Problem(f"for {name} (norm {norm_before:g}, θ = {theta:g}) your function changed the gradient; "
                              f"clipping only ever shrinks a gradient whose norm is above θ.")
        else:
            if torch.equal(flat, flat_before):
                raise Problem(f"for {name} the gradients are unchanged: scale them in place (g.mul_(...)), since "
                              f"the optimizer reads the tensors you were given.")
            cosine = float(flat @ flat_before) / (flat.norm() * flat_before.norm() + 1e-30)
            if cosine < 1 - 1e-5:
                raise Problem(f"for {name} the direction of the gradient changed (cosine {cosine:.3f} with the "
                              f"original): scale every tensor by the same factor θ / ‖g‖, where ‖g‖ is one norm "
                              f"over all the tensors together, not one per tensor or per entry.")
            if abs(norm_after - theta) > 1e-4 * theta:
                raise Problem(f"for {name} the clipped norm is {norm_after:.4g}, but it should be exactly θ = "
                              f"{theta:g}: multiply by θ / ‖g‖.")
        if returned is None or not math.isclose(float(returned), norm_before, rel_tol=1e-4):
            after = " (that is the norm after clipping)" if returned is not None and math.isclose(
                float(returned), norm_after, rel_tol=1e-4) else ""
            raise Problem(f"for {name} your function returned {returned!r}{after}; return the norm before "
                          f"clipping, {norm_before:.4g}, which is the number worth watching during training.")


def rnn_step(function):
    """Check ``function(X_t, H, W_xh, W_hh, b_h)``: the next hidden state, tanh(X_t W_xh + H W_hh + b_h)."""
    return run_check("rnn_step", function, _step_cases)


def _step_cases(function):
    generator = torch.Generator().manual_seed(0)
    batch, inputs, hidden = 2, 5, 3
    X = torch.nn.functional.one_hot(torch.tensor([1, 4]), inputs).float()
    H = torch.randn(batch, hidden, generator=generator)
    W_xh, W_hh = torch.randn(inputs, hidden, generator=generator), torch.randn(hidden, hidden, generator=generator)
    b_h = torch.randn(hidden, generator=generator)
    expected = torch.tanh(X @ W_xh + H @ W_hh + b_h)
    got = function(X, H, W_xh, W_hh, b_h)
    if not isinstance(got, torch.Tensor):
        raise Problem(f"return the new state as a tensor, got {type(got).__name__}.")
    if tuple(got.shape) != tuple(expected.shape):
        raise Problem(f"the new state has shape {tuple(got.shape)}, but it must be (batch size, hidden units) = "
                      f"{tuple(expected.shape)}, like H: one state per sequence of the batch.")
    if torch.allclose(got, expected, atol=1e-5):
        return
    mistakes = {
        "apply tanh to the sum: the state must stay in (-1, 1)": X @ W_xh + H @ W_hh + b_h,
        "add the bias b_h": torch.tanh(X @ W_xh + H @ W_hh),
        "the state enters as H @ W_hh, not H @ W_hh.T (W_hh maps the old state's hidden units to the new)":
            torch.tanh(X @ W_xh + H @ W_hh.T + b_h),
        "the new state depends on the old one: add H @ W_hh": torch.tanh(X @ W_xh + b_h),
    }
    for advice, wrong in mistakes.items():
        if torch.allclose(got, wrong, atol=1e-5):
            raise Problem(f"the values are off: {advice}.")
    raise Problem("the values are off: the new state is tanh(X_t @ W_xh + H @ W_hh + b_h).")


def perplexity(function):
    """Check ``function(mean_losses, token_counts)``: the perplexity of batches with these mean losses and sizes."""
    return run_check("perplexity", function, _perplexity_cases)


def _perplexity_cases(function):
    mean_losses, counts = [2.0, 1.0, 3.0], [100, 100, 20]  # the last batch is shorter
    total_loss = sum(loss * count for loss, count in zip(mean_losses, counts))
    expected = math.exp(total_loss / sum(counts))
    got = function(list(mean_losses), list(counts))
    if isinstance(got, torch.Tensor):
        got = got.item()
    if math.isclose(got, expected, rel_tol=1e-6):
        return
    mistakes = {
        "every batch weighted equally; weight each batch's mean loss by its number of tokens, so that the "
        "perplexity is per token (the last batch here is shorter)": math.exp(sum(mean_losses) / len(mean_losses)),
        "the perplexities of the batches averaged; average the losses first (per token), then take exp once":
            sum(math.exp(loss) * count for loss, count in zip(mean_losses, counts)) / sum(counts),
        "exp of the total loss; divide by the number of tokens first: perplexity is exp(mean loss per token)":
            math.exp(total_loss),
        "base 2; cross-entropy in PyTorch uses the natural logarithm, so perplexity is e to the mean loss":
            2 ** (total_loss / sum(counts)),
    }
    for advice, wrong in mistakes.items():
        if math.isclose(got, wrong, rel_tol=1e-6):
            raise Problem(f"got {got:.4g}, expected {expected:.4g}: {advice}.")
    raise Problem(f"got {got!r}, expected {expected:.4g} = exp(sum of loss × tokens / total tokens).")
