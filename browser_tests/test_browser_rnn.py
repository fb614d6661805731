"""The RNN in the static page: the browser computes what PyTorch computes, from the weights the page carries.

The generation explorer stores its trained model with the page
(d2l_mini/widgets/browser_model.py); book/_static/browser-rnn.js runs it. This
test loads the same weights into the chapter's own model in PyTorch and
checks, for a fixed prefix, that the page's next-character probabilities
match PyTorch's within 1e-5 and that greedy text matches PyTorch's exactly;
then it drives the page's controls. The time per generated character in
Chromium goes to _build/browser-rnn.json.
"""

import base64
import json

import numpy as np
import pytest
import torch
from test_book import PAGES, page_id

import d2l_mini as d2l
from d2l_mini.widgets.browser_model import PARAMETER_NAMES, next_char_probabilities

from conftest import ROOT, open_settled

RNN_PAGES = [p for p in PAGES if p.stem == "rnn_scratch"]
TOLERANCE = 1e-5
PREFIXES = ("the time traveller ", "Filby, 1895: ", "weena")


def torch_model(payload):
    """The page's weights in the chapter's fast scratch RNN (on the CPU)."""
    vocab_size, hidden = payload["shapes"]["W_xh"]
    net = d2l.fast_rnn_model(vocab_size, hidden, torch.device("cpu"))
    net.params = [torch.from_numpy(np.frombuffer(base64.b64decode(payload["weights"][name]), dtype=np.float32)
                                   .reshape(payload["shapes"][name]).copy()) for name in PARAMETER_NAMES]
    return net


class PayloadVocab:
    """Just what the generation code needs of a Vocab, from the page's token list."""

    def __init__(self, tokens, unk):
        self.idx_to_token, self.unk = tokens, unk
        self.token_to_idx = {token: i for i, token in enumerate(tokens)}

    def __getitem__(self, tokens):
        if isinstance(tokens, (list, tuple)):
            return [self[t] for t in tokens]
        return self.token_to_idx.get(tokens, self.unk)

    def to_tokens(self, indices):
        return [self.idx_to_token[i] for i in indices] if isinstance(indices, list) else self.idx_to_token[indices]

    def __len__(self):
        return len(self.idx_to_token)


@pytest.fixture
def rnn_page(page, request):
    open_settled(page, request.param.as_uri())
    page.locator(".d2l-browser-generator[data-wired]").wait_for(timeout=30000)
    return page


@pytest.mark.parametrize("rnn_page", RNN_PAGES, ids=page_id, indirect=True)
def test_the_page_computes_what_pytorch_computes(rnn_page):
    payload = json.loads(rnn_page.locator(".d2l-bg-model").text_content())
    net, vocab = torch_model(payload), PayloadVocab(payload["tokens"], payload["unk"])
    cpu = torch.device("cpu")
    rnn_page.evaluate("(p) => { window.testModel = window.d2lBrowserRnn.loadModel(p); }", payload)
    for prefix in PREFIXES:
        expected = next_char_probabilities(net, vocab, prefix, cpu)
        got = rnn_page.evaluate("(p) => window.d2lBrowserRnn.nextProbabilities(window.testModel, p)", prefix)
        assert max(abs(a - b) for a, b in zip(got, expected)) < TOLERANCE, prefix
        greedy = d2l.predict_ch8(prefix, 120, net, vocab, cpu)
        assert rnn_page.evaluate("(p) => window.d2lBrowserRnn.generate(window.testModel, p, 120, 0)", prefix) == greedy
    # and what the notebook itself recorded, with the model it trained
    reference = payload["reference"]
    assert reference["greedy"] == d2l.predict_ch8(reference["prefix"], reference["chars"], net, vocab, cpu)


@pytest.mark.parametrize("rnn_page", RNN_PAGES, ids=page_id, indirect=True)
def test_the_controls_generate_any_prefix_at_any_temperature(rnn_page):
    generator = rnn_page.locator(".d2l-browser-generator")
    generator.locator(".d2l-bg-prefix").fill("İstanbul and Filby")
    generator.locator(".d2l-bg-temperature").fill("1.3")
    generator.locator(".d2l-bg-length").fill("200")
    generator.locator(".d2l-bg-generate").click()
    text = generator.locator(".d2l-bg-output").text_content()
    assert text.startswith("istanbul and filby") and len(text) == len("istanbul and filby") + 200
    assert set(text) <= set("abcdefghijklmnopqrstuvwxyz ")
    generator.locator(".d2l-bg-prefix").fill("1895!")
    generator.locator(".d2l-bg-generate").click()
    assert "has no letter the model knows" in generator.locator(".d2l-bg-output").text_content()
    generator.locator(".d2l-bg-prefix").fill("time")
    generator.locator(".d2l-bg-temperature").fill("-1")
    generator.locator(".d2l-bg-generate").click()
    assert "temperature must be" in generator.locator(".d2l-bg-output").text_content()


@pytest.mark.parametrize("rnn_page", RNN_PAGES[:1], ids=page_id, indirect=True)
def test_time_per_character_is_recorded(rnn_page):
    """Not a timed test (this machine is shared): the figure is written down for the record."""
    ms = rnn_page.evaluate("""() => {
        const model = window.d2lBrowserRnn.loadModel(JSON.parse(document.querySelector('.d2l-bg-model').textContent));
        window.d2lBrowserRnn.generate(model, 'the ', 200, 1.0);  // warm up
        const runs = [];
        for (let i = 0; i < 5; i++) {
            const t = performance.now(); window.d2lBrowserRnn.generate(model, 'the ', 2000, 1.0);
            runs.push((performance.now() - t) / 2000);
        }
        return runs.sort((a, b) => a - b)[2];
    }""")
    size = len(rnn_page.locator(".d2l-bg-model").text_content().encode())
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "browser-rnn.json").write_text(json.dumps({"ms_per_char_median": ms, "model_bytes": size}))
    assert ms > 0 and size > 0
