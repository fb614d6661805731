// The chapter's trained RNN, generating text in the reader's browser (static book, no kernel).
//
// The generation explorer stores the model's weights with the page (see
// d2l_mini/widgets/browser_model.py). Once the widgets are drawn, this script
// finds each `.d2l-browser-generator`, reads its weights and wires its
// controls. The model is the chapter's recurrence, in plain arithmetic:
//   H = tanh(W_xh[token] + H W_hh + b_h),   scores = H W_hq + b_q.
// window.d2lBrowserRnn exposes the pieces, so that the book's tests can
// compare them with PyTorch.
(function () {
  "use strict";

  // --- the model ------------------------------------------------------------------------------
  function decodeFloat32(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new Float32Array(bytes.buffer);
  }

  function loadModel(payload) {
    if (payload.format !== "d2l-rnn-v1") throw new Error("unknown model format " + payload.format);
    const w = {};
    for (const name of Object.keys(payload.weights)) w[name] = decodeFloat32(payload.weights[name]);
    const [vocabSize, hidden] = payload.shapes.W_xh;
    const index = new Map(payload.tokens.map((token, i) => [token, i]));
    return { w, vocabSize, hidden, tokens: payload.tokens, index, unk: payload.unk };
  }

  // One step: the new state after reading `token` in state `H`, and the scores for the next token.
  function step(model, H, token) {
    const { w, vocabSize, hidden } = model;
    const next = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) next[j] = w.W_xh[token * hidden + j] + w.b_h[j];
    for (let i = 0; i < hidden; i++) {
      const h = H[i];
      if (h === 0) continue;
      const row = i * hidden;
      for (let j = 0; j < hidden; j++) next[j] += h * w.W_hh[row + j];
    }
    for (let j = 0; j < hidden; j++) next[j] = Math.tanh(next[j]);
    const scores = new Float64Array(vocabSize);
    for (let k = 0; k < vocabSize; k++) scores[k] = w.b_q[k];
    for (let i = 0; i < hidden; i++) {
      const h = next[i];
      const row = i * vocabSize;
      for (let k = 0; k < vocabSize; k++) scores[k] += h * w.W_hq[row + k];
    }
    scores[model.unk] = -Infinity; // <unk> means "none of the above", not a character
    return { H: next, scores };
  }

  // --- text in, text out ----------------------------------------------------------------------
  // As d2l_mini.text.clean_text does: small letters, accents dropped, anything else one space.
  const NO_DECOMPOSITION = { "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h" };
  function cleanPrefix(text, model) {
    const folded = text.toLowerCase().replace(/ß/g, "ss").normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[æœøłđðþıħ]/g, (c) => NO_DECOMPOSITION[c]).toLowerCase();
    const cleaned = folded.replace(/[^a-z]+/g, " ");
    if (![...cleaned].some((c) => c !== " " && model.index.has(c))) {
      throw new Error(`the prefix ${JSON.stringify(text)} has no letter the model knows (it reads only a-z)`);
    }
    return cleaned;
  }

  function softmax(scores, temperature) {
    const max = Math.max(...scores);
    const exps = Array.from(scores, (s) => Math.exp((s - max) / temperature));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
  }

  function warmUp(model, prefix) {
    let H = new Float64Array(model.hidden), scores = null;
    for (const char of prefix) ({ H, scores } = step(model, H, model.index.get(char) ?? model.unk));
    return { H, scores };
  }

  // The probabilities of the next character after `prefix` (temperature 1).
  function nextProbabilities(model, prefix) {
    return softmax(warmUp(model, cleanPrefix(prefix, model)).scores, 1);
  }

  // `prefix` continued by `numChars` characters: greedy for temperature 0, else sampled with `random()`.
  function generate(model, prefix, numChars, temperature, random = Math.random) {
    const cleaned = cleanPrefix(prefix, model);
    let { H, scores } = warmUp(model, cleaned);
    let text = cleaned;
    for (let n = 0; n < numChars; n++) {
      let token;
      if (temperature === 0) {
        token = scores.indexOf(Math.max(...scores));
      } else {
        const probs = softmax(scores, temperature);
        let r = random(), k = 0;
        while (k < probs.length - 1 && r >= probs[k]) r -= probs[k++];
        token = k;
      }
      text += model.tokens[token];
      ({ H, scores } = step(model, H, token));
    }
    return text;
  }

  // --- the controls -----------------------------------------------------------------------------
  function wire(block) {
    if (block.dataset.wired) return;
    block.dataset.wired = "yes";
    const model = loadModel(JSON.parse(block.querySelector(".d2l-bg-model").textContent));
    const field = (name) => block.querySelector(".d2l-bg-" + name);
    const output = field("output");
    const run = () => {
      const temperature = Number(field("temperature").value);
      const numChars = Math.round(Number(field("length").value));
      try {
        if (!(temperature >= 0 && temperature <= 5)) throw new Error("the temperature must be a number from 0 to 5");
        if (!(numChars >= 1 && numChars <= 1000)) throw new Error("the number of characters must be from 1 to 1000");
        const started = performance.now();
        output.textContent = generate(model, field("prefix").value, numChars, temperature);
        block.dataset.msPerChar = ((performance.now() - started) / numChars).toFixed(3);
      } catch (error) {
        output.textContent = "Cannot generate: " + error.message + ".";
      }
    };
    field("generate").addEventListener("click", run);
    field("prefix").addEventListener("keydown", (event) => { if (event.key === "Enter") run(); });
    run();
  }

  function wireAll() {
    document.querySelectorAll(".d2l-browser-generator").forEach(wire);
  }

  window.d2lBrowserRnn = { loadModel, step, cleanPrefix, nextProbabilities, generate, wireAll };
  // The widgets are drawn after this script runs: wire each generator as it appears.
  new MutationObserver(wireAll).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", wireAll);
})();
