"""The trained RNN, packed for the static book: a reader's browser generates text with it, no Python needed.

A static page has no kernel, but the recurrence of the chapter's model is a
few lines of arithmetic: ``H = tanh(W_xh[token] + H @ W_hh + b_h)``, then
``scores = H @ W_hq + b_q``. :func:`model_payload` packs the weights (float32,
base64), the vocabulary and, as a reference for the book's tests, what
PyTorch itself computes for one prefix: the next-character probabilities and
the greedy continuation. :func:`browser_generator` wraps it with a prefix box,
a temperature, a length and a Generate button in a widget that only a static
page shows; ``book/_static/browser-rnn.js`` runs it there.
"""

import base64
import html
import json

import numpy as np
import torch

from .._optional import import_ipywidgets
from ..chapters.rnn_scratch import predict_ch8
from ..text import clean_prefix
from .precomputed import STATIC_ONLY_CLASS

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing

PARAMETER_NAMES = ("W_xh", "W_hh", "b_h", "W_hq", "b_q")
FORMAT = "d2l-rnn-v1"


def next_char_probabilities(net, vocab, prefix, device):
    """The model's probabilities for the character after ``prefix`` (<unk> excluded), as PyTorch computes them."""
    cleaned = clean_prefix(prefix, vocab)
    state = net.begin_state(batch_size=1, device=device)
    with torch.no_grad():
        for char in cleaned:
            scores, state = net(torch.tensor([[vocab[char]]], device=device), state)
        scores = scores.reshape(-1).double()
        scores[vocab.unk] = -float("inf")
        return torch.softmax(scores, dim=0).tolist()


def model_payload(net, vocab, device, reference_prefix="the time traveller ", reference_chars=80):
    """The weights, vocabulary and PyTorch's reference results of a scratch RNN, as a JSON-ready dict."""
    weights = {name: param.detach().to("cpu", torch.float32).contiguous().numpy()
               for name, param in zip(PARAMETER_NAMES, net.params)}
    return {
        "format": FORMAT,
        "tokens": list(vocab.idx_to_token),
        "unk": vocab.unk,
        "shapes": {name: list(array.shape) for name, array in weights.items()},
        "weights": {name: base64.b64encode(array.astype(np.float32).tobytes()).decode("ascii")
                    for name, array in weights.items()},
        "reference": {
            "prefix": reference_prefix,
            "probabilities": next_char_probabilities(net, vocab, reference_prefix, device),
            "greedy": predict_ch8(reference_prefix, reference_chars, net, vocab, device),
            "chars": reference_chars,
        },
    }


def browser_generator(net, vocab, device, prefix="the time traveller ", temperature=0.5, num_chars=80):
    """A block only a static page shows: the model runs in the reader's browser, for any prefix and temperature."""
    payload = json.dumps(model_payload(net, vocab, device), separators=(",", ":"))
    markup = f"""<div class="d2l-browser-generator" role="group" aria-label="Generate text in your browser">
<p>This page has no Python behind it, but the trained model is small enough to run in your browser:
type any prefix, choose a temperature (0 is greedy) and generate.</p>
<label>prefix <input type="text" class="d2l-bg-prefix" value="{html.escape(prefix)}" size="24"></label>
<label>temperature <input type="number" class="d2l-bg-temperature" value="{temperature:g}" min="0" max="5"
 step="0.1"></label>
<label>characters <input type="number" class="d2l-bg-length" value="{num_chars}" min="1" max="1000"
 step="1"></label>
<button type="button" class="d2l-bg-generate">Generate</button>
<pre class="d2l-bg-output" aria-live="polite" style="white-space:pre-wrap"></pre>
<script type="application/json" class="d2l-bg-model">{payload}</script>
</div>"""
    block = widgets.HTML(markup, layout=widgets.Layout(display="none"))
    block.add_class(STATIC_ONLY_CLASS)
    return block
