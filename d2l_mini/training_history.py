"""What a training run produced, epoch by epoch, and the rule that says it has diverged.

``train_ch8`` (chapter "Recurrent Neural Networks from Scratch") and the
widgets' small runs record into a :class:`TrainingHistory`: the perplexity of
every epoch, every batch's gradient norm before clipping, the speed, and,
once the run has failed, why (:func:`divergence`).
"""

import math

DIVERGENCE_FACTOR = 3  # a loss this many times that of uniform guessing means training has failed


def perplexity_of(mean_loss):
    """exp(mean cross-entropy): inf, rather than an OverflowError, for a loss above 709."""
    if math.isnan(mean_loss):
        return math.nan
    return math.exp(mean_loss) if mean_loss < 709 else math.inf


def divergence(mean_loss, vocab_size):
    """Why ``mean_loss`` shows that training has diverged, or None if it does not.

    Guessing uniformly among ``vocab_size`` tokens costs log(vocab_size) per
    token. A loss that is not a finite number, or more than
    ``DIVERGENCE_FACTOR`` times that (a perplexity above vocab_size ** 3),
    means the parameters were thrown far from anything useful.
    """
    limit = DIVERGENCE_FACTOR * math.log(vocab_size)
    if not math.isfinite(mean_loss):
        return f"the loss is {mean_loss}"
    if mean_loss > limit:
        return (f"the loss {mean_loss:.3g} is more than {DIVERGENCE_FACTOR} times that of uniform guessing "
                f"(perplexity {perplexity_of(mean_loss):.3g}, above {vocab_size}^{DIVERGENCE_FACTOR})")
    return None


class TrainingHistory:
    """What a training run produced, epoch by epoch."""

    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.perplexity = []  # one value per finished epoch
        self.grad_norms = []  # one value per batch, before clipping
        self.seconds_per_token = []  # one value per finished epoch
        self.divergence = None  # why training diverged, if it did
        self.stopped = False  # ended early on request (a widget's Stop button)

    def add_epoch(self, perplexity, tokens_per_sec):
        """Record one epoch; an epoch whose loss shows divergence is recorded as the reason instead."""
        mean_loss = math.log(perplexity) if perplexity > 0 else perplexity
        self.divergence = divergence(mean_loss, self.vocab_size)
        if self.divergence is None:
            self.perplexity.append(perplexity)
            self.seconds_per_token.append(1 / tokens_per_sec if tokens_per_sec > 0 else math.inf)

    @property
    def diverged(self):
        return self.divergence is not None

    @property
    def final_perplexity(self):
        return self.perplexity[-1] if self.perplexity else math.nan

    @property
    def tokens_per_sec(self):
        """Total tokens over total time: every epoch reads the same number of tokens."""
        if not self.seconds_per_token or not all(math.isfinite(s) for s in self.seconds_per_token):
            return 0.0
        return len(self.seconds_per_token) / sum(self.seconds_per_token)
