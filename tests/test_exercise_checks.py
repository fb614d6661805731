"""The exercise checks: the reference solution passes each, and typical wrong answers fail with their own advice."""

import math

import pytest
import torch

from d2l_mini import check

# -- xavier_uniform -------------------------------------------------------------------------------------------------


def xavier_right(weight):
    fan_out, fan_in = weight.shape
    a = math.sqrt(6 / (fan_in + fan_out))
    with torch.no_grad():
        weight.uniform_(-a, a)


def xavier_outside_no_grad(weight):
    fan_out, fan_in = weight.shape
    weight.uniform_(-math.sqrt(6 / (fan_in + fan_out)), math.sqrt(6 / (fan_in + fan_out)))


def xavier_new_tensor(weight):
    fan_out, fan_in = weight.shape
    a = math.sqrt(6 / (fan_in + fan_out))
    weight = torch.empty(fan_out, fan_in).uniform_(-a, a)  # a new tensor; the parameter is untouched
    return weight


def xavier_std_as_bound(weight):
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        weight.uniform_(-math.sqrt(2 / (fan_in + fan_out)), math.sqrt(2 / (fan_in + fan_out)))


def xavier_fan_in_only(weight):
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        weight.uniform_(-math.sqrt(6 / fan_in), math.sqrt(6 / fan_in))


def xavier_one_sided(weight):
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        weight.uniform_(0, math.sqrt(6 / (fan_in + fan_out)))


def xavier_normal_instead(weight):
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        weight.normal_(0, math.sqrt(2 / (fan_in + fan_out)))


# -- count_parameters ------------------------------------------------------------------------------------------------


def count_right(module):
    return sum(p.numel() for p in module.parameters())


def count_layer_by_layer(module):
    return sum(p.numel() for layer in module for p in layer.parameters())  # meets a shared layer twice


def count_state_dict(module):
    return sum(v.numel() for v in module.state_dict().values())


def count_direct_children(module):
    return sum(p.numel() for child in module.children() for p in child.parameters(recurse=False))


# -- load_matching ---------------------------------------------------------------------------------------------------


def load_right(model, state_dict):
    own = model.state_dict()
    matching = {name: value for name, value in state_dict.items() if name in own and own[name].shape == value.shape}
    model.load_state_dict(matching, strict=False)
    return list(matching)


def load_not_strict(model, state_dict):
    model.load_state_dict(state_dict, strict=False)
    return list(state_dict)


def load_by_name_only(model, state_dict):
    own = model.state_dict()
    names = [name for name in state_dict if name in own]
    for name in names:
        if own[name].shape == state_dict[name].shape:
            own[name].copy_(state_dict[name])
    return names


def load_nothing_returned(model, state_dict):
    load_right(model, state_dict)


# -- clip_gradients --------------------------------------------------------------------------------------------------


def clip_right(grads, theta):
    norm = math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads))
    if norm > theta:
        for g in grads:
            g.mul_(theta / norm)
    return norm


def clip_each_tensor(grads, theta):
    norms = []
    for g in grads:
        norms.append(float(g.norm()))
        if g.norm() > theta:
            g.mul_(theta / g.norm())
    return math.sqrt(sum(n * n for n in norms))


def clip_always(grads, theta):
    norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
    for g in grads:
        g.mul_(theta / norm)
    return norm


def clip_returns_after(grads, theta):
    clip_right(grads, theta)
    return math.sqrt(sum(float((g * g).sum()) for g in grads))


def clip_entries(grads, theta):
    norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
    for g in grads:
        g.clamp_(-theta, theta)
    return norm


def clip_in_float32(grads, theta):
    norm = math.sqrt(sum(float((g * g).sum()) for g in grads))  # squares of 1e20 overflow float32
    if norm > theta:
        for g in grads:
            g.mul_(theta / norm)
    return norm


def clip_not_in_place(grads, theta):
    norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
    if norm > theta:
        grads = [g * theta / norm for g in grads]
    return norm


# -- rnn_step --------------------------------------------------------------------------------------------------------


def step_right(X_t, H, W_xh, W_hh, b_h):
    return torch.tanh(X_t @ W_xh + H @ W_hh + b_h)


def step_no_tanh(X_t, H, W_xh, W_hh, b_h):
    return X_t @ W_xh + H @ W_hh + b_h


def step_no_bias(X_t, H, W_xh, W_hh, b_h):
    return torch.tanh(X_t @ W_xh + H @ W_hh)


def step_transposed(X_t, H, W_xh, W_hh, b_h):
    return torch.tanh(X_t @ W_xh + H @ W_hh.T + b_h)


def step_forgets(X_t, H, W_xh, W_hh, b_h):
    return torch.tanh(X_t @ W_xh + b_h)


def step_returns_output_shape(X_t, H, W_xh, W_hh, b_h):
    return torch.tanh(X_t @ W_xh + H @ W_hh + b_h).T


# -- perplexity ------------------------------------------------------------------------------------------------------


def ppl_right(mean_losses, counts):
    return math.exp(sum(loss * count for loss, count in zip(mean_losses, counts)) / sum(counts))


def ppl_unweighted(mean_losses, counts):
    return math.exp(sum(mean_losses) / len(mean_losses))


def ppl_mean_of_perplexities(mean_losses, counts):
    return sum(math.exp(loss) * count for loss, count in zip(mean_losses, counts)) / sum(counts)


def ppl_exp_of_total(mean_losses, counts):
    return math.exp(sum(loss * count for loss, count in zip(mean_losses, counts)))


def ppl_base_two(mean_losses, counts):
    return 2 ** (sum(loss * count for loss, count in zip(mean_losses, counts)) / sum(counts))


# -- the checks ------------------------------------------------------------------------------------------------------

RIGHT = [(check.xavier_uniform, xavier_right), (check.count_parameters, count_right),
         (check.load_matching, load_right), (check.clip_gradients, clip_right), (check.rnn_step, step_right),
         (check.perplexity, ppl_right)]

WRONG = [
    (check.xavier_uniform, xavier_outside_no_grad, "torch.no_grad()"),
    (check.xavier_uniform, xavier_new_tensor, "in place"),
    (check.xavier_uniform, xavier_std_as_bound, "too narrow"),
    (check.xavier_uniform, xavier_fan_in_only, "beyond the bound"),
    (check.xavier_uniform, xavier_one_sided, "not centred on zero"),
    (check.xavier_uniform, xavier_normal_instead, "beyond the bound"),
    (check.count_parameters, count_layer_by_layer, "counts once"),
    (check.count_parameters, count_state_dict, "buffers"),
    (check.count_parameters, count_direct_children, "nested blocks"),
    (check.load_matching, load_not_strict, "forgives missing and extra names, not wrong shapes"),
    (check.load_matching, load_by_name_only, "return the names of the entries you copied"),
    (check.load_matching, load_nothing_returned, "got None"),
    (check.clip_gradients, clip_each_tensor, "direction of the gradient changed"),
    (check.clip_gradients, clip_always, "only ever shrinks"),
    (check.clip_gradients, clip_returns_after, "the norm after clipping"),
    (check.clip_gradients, clip_entries, "not one per tensor or per entry"),
    (check.clip_gradients, clip_not_in_place, "scale them in place"),
    (check.clip_gradients, clip_in_float32, "overflow float32"),
    (check.rnn_step, step_no_tanh, "apply tanh"),
    (check.rnn_step, step_no_bias, "add the bias"),
    (check.rnn_step, step_transposed, "not H @ W_hh.T"),
    (check.rnn_step, step_forgets, "add H @ W_hh"),
    (check.rnn_step, step_returns_output_shape, "(batch size, hidden units)"),
    (check.perplexity, ppl_unweighted, "weight each batch's mean loss"),
    (check.perplexity, ppl_mean_of_perplexities, "average the losses first"),
    (check.perplexity, ppl_exp_of_total, "divide by the number of tokens"),
    (check.perplexity, ppl_base_two, "natural logarithm"),
]


@pytest.mark.parametrize("checker, solution", RIGHT, ids=lambda x: getattr(x, "__name__", ""))
def test_the_reference_solution_passes(checker, solution):
    verdict = checker(solution)
    assert verdict.passed and repr(verdict).startswith("✓"), repr(verdict)


@pytest.mark.parametrize("checker, wrong, advice", WRONG, ids=lambda x: getattr(x, "__name__", ""))
def test_a_typical_wrong_answer_fails_with_its_own_advice(checker, wrong, advice):
    verdict = checker(wrong)
    assert not verdict.passed and repr(verdict).startswith("✗")
    assert advice in repr(verdict), repr(verdict)


def test_every_check_has_at_least_three_typical_wrong_answers():
    for checker, _ in RIGHT:
        assert sum(c is checker for c, _, _ in WRONG) >= 3, checker.__name__


@pytest.mark.parametrize("checker, _", RIGHT, ids=lambda x: getattr(x, "__name__", ""))
def test_a_stub_is_not_written_yet(checker, _):
    def stub(*args):
        raise NotImplementedError

    assert "not written yet" in repr(checker(stub))


def test_an_error_in_the_readers_code_names_its_line():
    def broken(grads, theta):
        return grads[0].nrom()  # a typo

    message = repr(check.clip_gradients(broken))
    assert "AttributeError" in message and "grads[0].nrom()" in message


def test_passing_something_else_than_a_function_says_how_to_call_it():
    assert "pass your function itself" in repr(check.perplexity(3.0))


def test_a_verdict_is_true_only_when_right():
    assert check.perplexity(ppl_right) and not check.perplexity(ppl_base_two)


def test_the_checks_repeat_and_leave_the_global_random_state_alone():
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    first = repr(check.xavier_uniform(xavier_std_as_bound))
    assert torch.equal(torch.rand(3), expected)
    assert repr(check.xavier_uniform(xavier_std_as_bound)) == first
