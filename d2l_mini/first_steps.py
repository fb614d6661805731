"""The first steps of training from an initialization: does the network learn at all?

:mod:`d2l_mini.signals` shows what an initialization does to one pass through
a deep MLP. What a reader cares about is what follows: does the network then
learn? :func:`training_curve` trains the same MLP, with a linear output layer
on top, for a hundred steps of SGD with momentum on a task that any network
whose signal gets through learns quickly: ten classes, each input labelled by
a fixed random linear "teacher". After every step it measures the loss on all
the examples, which is smoother than the loss of one minibatch. A network
whose signal vanishes stays at the loss of guessing, log 10; one whose signal
explodes may not even stay finite.
Nothing here needs ipywidgets.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from .checks import non_negative_int, positive_int
from .signals import initialized_mlp

NUM_CLASSES, NUM_EXAMPLES, BATCH_SIZE, STEPS, LR, MOMENTUM = 10, 512, 64, 100, 0.02, 0.9
GUESSING_LOSS = math.log(NUM_CLASSES)  # cross-entropy of a uniform guess among the classes


def teacher_task(width, seed):
    """``NUM_EXAMPLES`` standard-normal inputs of ``width`` features and their labels from a random linear map."""
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(NUM_EXAMPLES, width, generator=generator)
    teacher = torch.randn(width, NUM_CLASSES, generator=generator)
    return X, (X @ teacher).argmax(dim=1)


def training_curve(initializer="Xavier uniform", scale=None, depth=10, width=256, activation="tanh",
                   steps=STEPS, seed=0, should_stop=None):
    """The loss on all the training examples after each of the first ``steps`` SGD steps, from ``initializer``.

    The list ends early at the first loss that is not finite (that loss is its
    last entry), or when ``should_stop()`` says so. The global random state is
    left untouched.
    """
    steps, seed = positive_int("steps", steps), non_negative_int("seed", seed)
    X, y = teacher_task(positive_int("width", width), seed)
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.random.fork_rng(devices=[]):
        model = nn.Sequential(initialized_mlp(initializer, scale, depth, width, activation, seed),
                              nn.Linear(width, NUM_CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    losses = []
    for _ in range(steps):
        if should_stop is not None and should_stop():
            break
        batch = torch.randint(0, NUM_EXAMPLES, (BATCH_SIZE,), generator=generator)
        optimizer.zero_grad()
        F.cross_entropy(model(X[batch]), y[batch]).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X), y).item())
        if not math.isfinite(losses[-1]):
            break
    return losses


def describe_training(losses):
    """What the first steps of training did, in words (HTML), for the explorer's summary."""
    if not losses:
        return "Training: not run."
    if not math.isfinite(losses[-1]):
        return f"Training <b>blew up</b>: the loss was not a finite number at step {len(losses)}."
    start, end = losses[0], sum(losses[-10:]) / len(losses[-10:])
    if end > 0.9 * GUESSING_LOSS:
        return (f"Training <b>does not learn</b>: after {len(losses)} SGD steps the loss is still {end:.2f}, "
                f"no better than guessing ({GUESSING_LOSS:.2f}).")
    return f"Training <b>learns</b>: the loss falls from {start:.2f} to {end:.2f} in {len(losses)} SGD steps."
