"""Training throughput of the chapter's RNNs, in tokens per second.

Compares, at the chapter's sizes (batch 32, 35 steps, 512 hidden units,
28-token vocabulary), one epoch of ``train_epoch_ch8`` with SGD and clipping:

* ``onehot``: the plain from-scratch RNN (one-hot inputs, ``rnn``);
* ``fast``: the chapter's fast from-scratch RNN (``rnn_fast``), the one the
  chapter and its widgets train;
* ``nn_rnn``: ``torch.nn.RNN`` + ``nn.Linear`` on one-hot inputs;
* ``gemm_floor``: only the matrix products that exact backpropagation through
  time cannot avoid at these shapes, for one batch: T forward products
  H_{t-1} W_hh, T - 1 backward products dA_t W_hh^T, and one product for the
  gradient of W_hh over all steps. Its tokens per second is the speed no
  exact implementation can beat on this machine, so
  ``fraction_of_gemm_floor`` (fast's speed over this one) says how much of
  the fast model's time is work beyond those products. Speed ratios between
  code paths move from one processor to the next; the fraction is measured in
  the same run and moves less.

The models take turns within each round (interleaved, rotating the order), so
a slow patch of a shared machine hits all of them alike; the report uses
medians over rounds.

    .venv/bin/python benchmarks/rnn_throughput.py [--rounds 7] [--epochs-per-round 2]
"""

import argparse
import statistics

import torch
import torch.nn.functional as F
from torch import nn

import d2l_mini as d2l
from d2l_mini.chapters.rnn_scratch import (
    RNNModelScratch,
    fast_rnn_model,
    get_params,
    init_rnn_state,
    rnn,
    sgd,
    train_epoch_ch8,
)


class TorchRNNModel(nn.Module):
    """nn.RNN followed by nn.Linear, fed one-hot inputs (d2l's concise RNN)."""

    def __init__(self, vocab_size, num_hiddens):
        super().__init__()
        self.vocab_size = vocab_size
        self.rnn = nn.RNN(vocab_size, num_hiddens)
        self.linear = nn.Linear(num_hiddens, vocab_size)

    def forward(self, X, state):
        inputs = F.one_hot(X.T.long(), self.vocab_size).to(torch.float32)
        Y, state = self.rnn(inputs, state)
        return self.linear(Y.reshape(-1, Y.shape[-1])), state

    def begin_state(self, batch_size, device):
        return torch.zeros((1, batch_size, self.rnn.hidden_size), device=device)


def build(name, vocab_size, num_hiddens, device):
    """A model and its updater."""
    if name == "onehot":
        net = RNNModelScratch(vocab_size, num_hiddens, device, get_params, init_rnn_state, rnn)
    elif name == "fast":
        net = fast_rnn_model(vocab_size, num_hiddens, device)
    else:
        net = TorchRNNModel(vocab_size, num_hiddens).to(device)
        return net, torch.optim.SGD(net.parameters(), lr=1)

    def updater(batch_size):
        sgd(net.params, 1, batch_size)

    return net, updater


class GemmFloor:
    """The unavoidable matrix products of one batch's forward and backward pass through the recurrence."""

    def __init__(self, batch_size, num_steps, num_hiddens, device):
        self.H = torch.randn(num_steps + 1, batch_size, num_hiddens, device=device) * 0.1
        self.W_hh = torch.randn(num_hiddens, num_hiddens, device=device) * 0.01
        self.grad_A = torch.randn(num_steps, batch_size, num_hiddens, device=device) * 0.01
        self.out = torch.empty(batch_size, num_hiddens, device=device)
        self.tokens = batch_size * num_steps

    def batch(self):
        W_T = self.W_hh.T.contiguous()
        for t in range(self.H.shape[0] - 1):  # forward: H_{t-1} W_hh
            torch.mm(self.H[t], self.W_hh, out=self.out)
        for t in range(self.grad_A.shape[0] - 1, 0, -1):  # backward: dL/dA_t W_hh^T
            torch.mm(self.grad_A[t], W_T, out=self.out)
        flat = self.grad_A.reshape(-1, self.grad_A.shape[-1])
        return self.H[:-1].reshape(-1, flat.shape[-1]).T @ flat  # dL/dW_hh, all steps at once

    def speed(self, batches):
        """Tokens per second of ``batches`` batches' worth of products."""
        if self.H.is_cuda:
            torch.cuda.synchronize()
        timer = d2l.Timer()
        for _ in range(batches):
            self.batch()
        if self.H.is_cuda:
            torch.cuda.synchronize()
        return batches * self.tokens / timer.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--epochs-per-round", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=512)
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("use at least 5 rounds")
    device = d2l.try_gpu()
    d2l.set_seed(0)
    train_iter, vocab = d2l.load_data_time_machine(32, 35)
    loss = nn.CrossEntropyLoss()
    names = ["onehot", "fast", "nn_rnn", "gemm_floor"]
    models = {name: build(name, len(vocab), args.hidden, device) for name in names[:3]}
    floor = GemmFloor(32, 35, args.hidden, device)

    def epoch_speed(name):
        if name == "gemm_floor":
            return floor.speed(len(train_iter))  # as many batches as one epoch
        net, updater = models[name]
        _, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter=False, theta=1)
        return speed

    for name in names:  # warm-up
        epoch_speed(name)
    speeds = {name: [] for name in names}
    for round_ in range(args.rounds):
        order = names[round_ % len(names):] + names[: round_ % len(names)]
        for name in order:
            for _ in range(args.epochs_per_round):
                speeds[name].append(epoch_speed(name))
    medians = {name: statistics.median(values) for name, values in speeds.items()}
    print(f"device {device}, threads {torch.get_num_threads()}, rounds {args.rounds}, hidden {args.hidden}")
    for name in names:
        print(f"{name:>7}: median {medians[name]:9,.0f} tokens/s  (min {min(speeds[name]):,.0f}, "
              f"max {max(speeds[name]):,.0f})")
    print(f"ratio_vs_onehot {medians['fast'] / medians['onehot']:.2f}")
    print(f"ratio_vs_nn_rnn {medians['fast'] / medians['nn_rnn']:.2f}")
    print(f"fraction_of_gemm_floor {medians['fast'] / medians['gemm_floor']:.2f}")


if __name__ == "__main__":
    main()
