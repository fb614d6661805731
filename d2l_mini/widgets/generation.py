"""The generation explorer: text from a trained RNN at every temperature, greedy to broken.

Every prefix on its menu and every temperature on its slider is generated
when the explorer is made; with Python behind it, a reader can also type a
prefix of their own, change the length and draw new samples.
"""

import zlib

import torch

from .._optional import import_ipywidgets
from ..chapters.rnn_scratch import predict_ch8
from ..checks import in_range, is_bool, positive_int
from ..text import clean_prefix, share_of_unknown_words
from .browser_model import browser_generator
from .precomputed import ResultPanel, choice_tree, live_only
from .safety import error_html, shows_errors, text_html

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


PREFIXES = ("time traveller ", "filby ", "the psychologist ", "the medical man ")  # people in the story


class GenerationExplorer(widgets.VBox):
    """Text from a trained model at every temperature on the slider, the chosen one marked.

    Showing all temperatures side by side makes the trade-off visible at a
    glance: greedy text is safe and repetitive, a higher temperature varies
    more, and a high one falls apart. With ``known_words`` (the words of the
    model's training text), each line also says what share of its words are
    made up. Every prefix on the menu is generated when the explorer is made;
    with Python behind it, you can also type your own prefix, change the
    length, and draw new samples. A static page has no Python, so it gets the
    model itself instead (:mod:`~d2l_mini.widgets.browser_model`): the
    reader's browser generates from any prefix, at any temperature.
    """

    TEMPERATURES = (("greedy", 0.0), ("0.5", 0.5), ("0.8", 0.8), ("1", 1.0), ("1.5", 1.5))

    def __init__(self, net, vocab, device, prefixes=PREFIXES, num_chars=80, known_words=None, temperature=0.0):
        if isinstance(prefixes, str) or not prefixes or not all(isinstance(p, str) for p in prefixes):
            raise ValueError(f"prefixes must be a non-empty list of strings (the menu), got {prefixes!r}.")
        temperatures = [t for _, t in self.TEMPERATURES]
        if temperature not in temperatures or is_bool(temperature):
            raise ValueError(f"temperature must be one of the slider's stops {temperatures}, got {temperature!r}.")
        self.prefixes = tuple(prefixes)
        self.grid_chars = in_range("num_chars", num_chars, 1, 400, check=positive_int)
        self.net, self.vocab, self.device = net, vocab, device
        self.known_words = set(known_words) if known_words is not None else None
        self.last_error = None  # the last exception generating ran into (shown in place of the text)
        self.prefix = widgets.Dropdown(options=list(self.prefixes), value=self.prefixes[0], description="prefix")
        self.temperature = widgets.SelectionSlider(options=list(self.TEMPERATURES), value=temperature,
                                                   continuous_update=False, description="temperature",
                                                   style={"description_width": "initial"})
        self.own_prefix = widgets.Text(value="", placeholder="or type your own prefix", continuous_update=True)
        self.num_chars = widgets.IntSlider(value=num_chars, min=1, max=400, continuous_update=False,
                                           description="characters")
        self.resample = widgets.Button(description="New sample", icon="refresh")
        live_only(self.own_prefix, self.num_chars, self.resample)
        self.output = widgets.HTML()
        self._sample_seed = 0
        self._texts = {}  # the texts shown now, by temperature
        self.precomputed = {(p, t): self._generate(p, self.grid_chars, t, 0)
                            for p in self.prefixes for t in temperatures}
        self.panel = ResultPanel(choice_tree([self.prefix, self.temperature], self._precomputed_result), self.output)
        self.in_browser = browser_generator(net, vocab, device)  # only a static page shows it
        super().__init__([widgets.HBox([self.prefix, self.temperature]),
                          widgets.HBox([self.own_prefix, self.num_chars, self.resample]), self.panel,
                          self.in_browser])
        self.add_class("d2l-generation-explorer")
        for control in (self.prefix, self.temperature, self.own_prefix, self.num_chars):
            control.observe(self.generate, names="value")
        self.resample.on_click(self._new_sample)
        self.generate()

    def _generate(self, prefix, num_chars, temperature, sample_seed):
        # each prefix and temperature draws its own random numbers: shared ones would make the samples look alike
        generator = torch.Generator().manual_seed(zlib.crc32(f"{sample_seed}|{temperature}|{prefix}".encode()))
        return predict_ch8(prefix, num_chars, self.net, self.vocab, self.device, temperature=temperature,
                           generator=generator)

    def _precomputed_result(self, prefix_index, temperature_index):
        prefix = self.prefixes[prefix_index]
        texts = {t: self.precomputed[prefix, t] for _, t in self.TEMPERATURES}
        return widgets.HTML(self._table_html(prefix, texts, self.TEMPERATURES[temperature_index][1]))

    def text(self):
        """The text at the chosen temperature, shown now ('' after an error)."""
        return self._texts.get(self.temperature.value, "")

    def show_error(self, message):
        """Show the problem in place of the texts, which are then empty."""
        self._texts = {}
        self.panel.show_live()
        self.output.value = error_html(message)

    @shows_errors
    def _new_sample(self, _button):
        self._sample_seed += 1
        self.generate()

    def current_prefix(self):
        """The typed prefix if there is one, else the menu's."""
        return self.own_prefix.value if self.own_prefix.value.strip() else self.prefix.value

    @shows_errors
    def generate(self, _change=None):
        """Show the texts for the current settings: precomputed if they are on the grid, else generated now."""
        temperatures = [t for _, t in self.TEMPERATURES]
        if self.temperature.value not in temperatures:
            raise ValueError(f"temperature must be one of the slider's stops {temperatures}, "
                             f"got {self.temperature.value!r}.")
        prefix = self.current_prefix()
        typed = bool(self.own_prefix.value.strip())
        if not typed and prefix in self.prefixes and self.num_chars.value == self.grid_chars and not self._sample_seed:
            self._texts = {t: self.precomputed[prefix, t] for _, t in self.TEMPERATURES}
            self.panel.show_precomputed()
            return
        self._texts = {t: self._generate(prefix, self.num_chars.value, t, self._sample_seed)
                       for _, t in self.TEMPERATURES}
        self.output.value = self._table_html(prefix, self._texts, self.temperature.value)
        self.panel.show_live()

    def _table_html(self, prefix, texts, chosen):
        """One row per temperature: its text, the prefix in bold, and its share of made-up words; ``chosen`` marked."""
        prefix_as_read = self._prefix_as_read(prefix)
        rows = []
        for label, temperature in self.TEMPERATURES:
            text = texts[temperature]
            split = len(prefix_as_read) if text.startswith(prefix_as_read) else 0
            mark = "▶ " if temperature == chosen else ""
            weight = "bold" if temperature == chosen else "normal"
            made_up = ("" if self.known_words is None else
                       f"<td>{share_of_unknown_words(text[split:], self.known_words):.0%}</td>")
            rows.append(f"<tr style='font-weight:{weight}'><td>{mark}{label}</td>"
                        f"<td><code style='white-space:pre-wrap'><b>{text_html(text[:split])}</b>"
                        f"{text_html(text[split:])}</code></td>{made_up}</tr>")
        header = "<th>made-up words</th>" if self.known_words is not None else ""
        return (f"<table class='d2l-generation-table'><tr><th>temperature</th><th>text</th>{header}</tr>"
                + "".join(rows) + "</table>")

    def _prefix_as_read(self, prefix):
        """The cleaned prefix, each character turned into its token and back, as predict_ch8 writes it."""
        cleaned = clean_prefix(prefix, self.vocab)
        return "".join(self.vocab.to_tokens(self.vocab[list(cleaned)]))
