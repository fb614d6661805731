"""The exercises of the chapter "Parameter Management" in which you write the code."""

import math

import torch
from torch import nn

from .verdict import Problem, run_check

XAVIER_SHAPES = ((300, 400), (50, 200), (1000, 10))  # (fan_out, fan_in), as nn.Linear stores its weight


def xavier_uniform(function):
    """Check ``function(weight)``: fill ``weight`` in place from U[-a, a], a = sqrt(6 / (fan_in + fan_out))."""
    return run_check("xavier_uniform", function, _xavier_cases)


def _xavier_cases(function):
    torch.manual_seed(0)
    for fan_out, fan_in in XAVIER_SHAPES:
        weight = nn.Parameter(torch.zeros(fan_out, fan_in))
        try:
            function(weight)
        except RuntimeError as error:
            if "leaf Variable that requires grad" in str(error):
                raise Problem("your function edits a parameter in place while autograd is recording, which PyTorch "
                              "refuses for a leaf that requires grad. Do the filling inside "
                              "`with torch.no_grad():`.") from None
            raise
        values, bound = weight.detach(), math.sqrt(6 / (fan_in + fan_out))
        where = f"for a weight of shape ({fan_out}, {fan_in})"
        if not values.any():
            raise Problem(f"the weight is still all zeros {where}: fill the tensor you are given in place "
                          f"(weight.uniform_(...) inside torch.no_grad()), rather than making a new one.")
        if values.abs().max() > bound * (1 + 1e-6):
            raise Problem(f"some values reach {values.abs().max():.4f} {where}, beyond the bound "
                          f"a = sqrt(6 / (fan_in + fan_out)) = {bound:.4f}. Check the formula for a: "
                          f"fan_in is the number of columns, fan_out the number of rows.")
        if abs(values.mean()) > 0.1 * bound:
            raise Problem(f"the values are not centred on zero {where} (mean {values.mean():.4f}): "
                          f"draw from [-a, a], not [0, a].")
        spread, expected = values.std().item(), bound / math.sqrt(3)
        if abs(spread / expected - 1) > 0.05:
            raise Problem(f"the spread is {spread:.4f} {where}, but U[-a, a] has standard deviation "
                          f"a / sqrt(3) = {expected:.4f}: the values are too "
                          f"{'narrow' if spread < expected else 'wide'} (is the bound a, and is the draw uniform?).")
        if values.abs().max() < 0.98 * bound:
            raise Problem(f"the values stay within ±{values.abs().max():.4f} {where}, well inside ±a = {bound:.4f}: "
                          f"a uniform draw on [-a, a] fills the whole interval.")


def count_parameters(function):
    """Check ``function(module)``: how many numbers the optimizer trains, each shared parameter counted once."""
    return run_check("count_parameters", function, _count_cases)


def _count_cases(function):
    shared = nn.Linear(8, 8)
    cases = {
        "a network with batch normalization (its running mean and variance are buffers, not parameters)":
            nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 1)),
        "a network that uses one 8 × 8 layer twice (tied)":
            nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.Linear(8, 1)),
        "nested blocks (a Sequential inside a Sequential)":
            nn.Sequential(nn.Sequential(nn.Linear(4, 8), nn.Sequential(nn.Linear(8, 8))), nn.Linear(8, 1)),
    }
    for name, module in cases.items():
        expected = sum(p.numel() for p in module.parameters())
        counted = function(module)
        if isinstance(counted, torch.Tensor):
            counted = counted.item()
        if counted != expected:
            raise Problem(f"for {name} your function counts {counted}, but the optimizer trains {expected} "
                          f"numbers. {_count_hint(module, counted)}")


def _count_hint(module, counted):
    with_buffers = sum(v.numel() for v in module.state_dict().values())
    if counted == with_buffers and any(True for _ in module.buffers()):
        return ("The state dict also holds buffers (such as batch normalization's running statistics), which are "
                "not trained, and lists a shared parameter under every name it has; count module.parameters().")
    if counted > sum(p.numel() for p in module.parameters()):
        return ("A shared parameter counts once, however often it is used: module.parameters() yields each "
                "parameter once, while walking the layers one by one meets a shared layer twice.")
    return "Look deeper: module.parameters() walks nested blocks too, and counts every element (p.numel())."


def load_matching(function):
    """Check ``function(model, state_dict)``: copy the entries whose name and shape match; return their names."""
    return run_check("load_matching", function, _load_cases)


def _load_cases(function):
    torch.manual_seed(0)
    old = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
    new = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3), nn.Linear(3, 1))
    before = {name: value.clone() for name, value in new.state_dict().items()}
    state = old.state_dict()
    try:
        loaded = function(new, state)
    except RuntimeError as error:
        if "size mismatch" in str(error):
            raise Problem("loading raised a size mismatch: strict=False forgives missing and extra names, not "
                          "wrong shapes. Keep only the entries whose shape matches the new model's first.") from None
        raise
    matching = {"0.weight", "0.bias", "2.weight", "2.bias"}
    for name in matching:
        if not torch.equal(new.state_dict()[name], state[name]):
            raise Problem(f"{name} has the same name and shape in both models but was not copied.")
    changed = {name for name, value in new.state_dict().items() if name not in matching
               and not torch.equal(value, before[name])}
    if changed:
        raise Problem(f"{', '.join(sorted(changed))} changed, although no entry of the old model fits it.")
    if loaded is None or sorted(loaded) != sorted(matching):
        raise Problem(f"return the names of the entries you copied, {sorted(matching)}; got {loaded!r}.")
    if any(value.data_ptr() == state[name].data_ptr() for name, value in new.state_dict().items() if name in state):
        raise Problem("the new model now shares memory with the old one: copy the values (load_state_dict or "
                      "param.copy_), do not assign the old tensors.")
