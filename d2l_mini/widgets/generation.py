"""The generation explorer: text from the trained RNN, greedy or sampled at a temperature.

Every prefix on its menu and every temperature on its slider is generated
when the explorer is made; with Python behind it, a reader can also type a
prefix of their own, change the length and draw new samples.
"""

import torch

from .._optional import import_ipywidgets
from ..chapters.rnn_scratch import predict_ch8
from ..checks import in_range, positive_int, positive_number
from ..text import clean_prefix
from .precomputed import ResultPanel, choice_tree, live_only, static_note
from .safety import error_html, shows_errors, text_html

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


PREFIXES = ("time traveller ", "filby ", "the psychologist ", "the medical man ")  # characters of the story


class GenerationExplorer(widgets.VBox):
    """Text from a trained model: greedy, or sampled at a temperature.

    Every prefix on the menu × every temperature on the slider is generated
    when the explorer is made (milliseconds each). With Python behind it, you
    can also type your own prefix, change the length, and draw new samples.
    """

    TEMPERATURES = (("greedy", 0.0), ("0.5", 0.5), ("0.8", 0.8), ("1", 1.0), ("1.5", 1.5))

    def __init__(self, net, vocab, device, prefixes=PREFIXES, num_chars=80):
        if isinstance(prefixes, str) or not prefixes or not all(isinstance(p, str) for p in prefixes):
            raise ValueError(f"prefixes must be a non-empty list of strings (the menu), got {prefixes!r}.")
        self.prefixes = tuple(prefixes)
        self.grid_chars = in_range("num_chars", num_chars, 1, 400, check=positive_int)
        self.net, self.vocab, self.device = net, vocab, device
        self.last_error = None  # the last exception generating ran into (shown in place of the text)
        self.prefix = widgets.Dropdown(options=list(self.prefixes), value=self.prefixes[0], description="prefix")
        self.temperature = widgets.SelectionSlider(options=list(self.TEMPERATURES), value=0.0,
                                                   continuous_update=False, description="temperature",
                                                   style={"description_width": "initial"})
        self.own_prefix = widgets.Text(value="", placeholder="or type your own prefix", continuous_update=True)
        self.num_chars = widgets.IntSlider(value=num_chars, min=1, max=400, continuous_update=False,
                                           description="characters")
        self.resample = widgets.Button(description="New sample", icon="refresh")
        live_only(self.own_prefix, self.num_chars, self.resample)
        self.output = widgets.HTML()
        self._sample_seed = 0
        self._text = ""
        self.precomputed = {(p, t): self._generate(p, self.grid_chars, t, 0)
                            for p in self.prefixes for _, t in self.TEMPERATURES}
        self.panel = ResultPanel(choice_tree([self.prefix, self.temperature], self._precomputed_result), self.output)
        super().__init__([widgets.HBox([self.prefix, self.temperature]),
                          widgets.HBox([self.own_prefix, self.num_chars, self.resample]),
                          static_note("type your own prefix, change the length and draw new samples"), self.panel])
        self.add_class("d2l-generation-explorer")
        for control in (self.prefix, self.temperature, self.own_prefix, self.num_chars):
            control.observe(self.generate, names="value")
        self.resample.on_click(self._new_sample)
        self.generate()

    def _generate(self, prefix, num_chars, temperature, sample_seed):
        generator = torch.Generator().manual_seed(sample_seed)
        return predict_ch8(prefix, num_chars, self.net, self.vocab, self.device, temperature=temperature,
                           generator=generator)

    def _precomputed_result(self, prefix_index, temperature_index):
        prefix, temperature = self.prefixes[prefix_index], self.TEMPERATURES[temperature_index][1]
        return widgets.HTML(self._text_html(prefix, self.precomputed[prefix, temperature]))

    def text(self):
        """The text shown now ('' after an error)."""
        return self._text

    def show_error(self, message):
        """Show the problem in place of the text, which is then empty."""
        self._text = ""
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
        """Show the text for the current settings: precomputed if it is on the grid, else generated now."""
        temperature = self.temperature.value
        if temperature:
            positive_number("temperature", temperature)
        prefix = self.current_prefix()
        typed = bool(self.own_prefix.value.strip())
        key = (prefix, temperature)
        if not typed and key in self.precomputed and self.num_chars.value == self.grid_chars and not self._sample_seed:
            self._text = self.precomputed[key]
            self.panel.show_precomputed()
            return
        self._text = self._generate(prefix, self.num_chars.value, temperature, self._sample_seed)
        self.output.value = self._text_html(prefix, self._text)
        self.panel.show_live()

    def _text_html(self, prefix, text):
        """``text`` with the prefix, as the model read it, in bold: exactly the cleaned prefix."""
        prefix_as_read = self._prefix_as_read(prefix)
        split = len(prefix_as_read) if text.startswith(prefix_as_read) else 0
        return (f"<pre style='white-space:pre-wrap'><b>{text_html(text[:split])}</b>"
                f"{text_html(text[split:])}</pre>")

    def _prefix_as_read(self, prefix):
        """The cleaned prefix, each character turned into its token and back, as predict_ch8 writes it."""
        cleaned = clean_prefix(prefix, self.vocab)
        return "".join(self.vocab.to_tokens(self.vocab[list(cleaned)]))
