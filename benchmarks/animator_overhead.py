"""What a live training curve costs: Animator.add every epoch vs. no plot.

Target (foundation issue): adding a point every epoch for 500 epochs costs at
most 5% of the RNN chapter's training time. Each round trains the chapter's
fast RNN (batch 32, 35 steps, 512 hidden) for a block of epochs twice, once
with ``Animator.add`` after every epoch and once without, in alternating
order; the overhead is the median over rounds of (with - without) / without.
The animator renders its PNG exactly as in a notebook (only the display
message is skipped outside IPython), and its own clock of drawing time is
reported too.

    .venv/bin/python benchmarks/animator_overhead.py [--rounds 5] [--epochs 20]
"""

import argparse
import statistics
import time

import torch
from torch import nn

import d2l_mini as d2l
from d2l_mini.chapters.rnn_scratch import fast_rnn_model, sgd, train_epoch_ch8


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=20, help="epochs per arm and round")
    args = parser.parse_args()
    device = d2l.try_gpu()
    d2l.set_seed(0)
    train_iter, vocab = d2l.load_data_time_machine(32, 35)
    net = fast_rnn_model(len(vocab), 512, device)
    loss = nn.CrossEntropyLoss()

    def updater(batch_size):
        sgd(net.params, 1, batch_size)

    animator = d2l.Animator(xlabel="epoch", ylabel="perplexity", legend=["train"], xlim=[1, 500])
    epoch_counter = [0]

    def block(with_plot):
        started = time.perf_counter()
        for _ in range(args.epochs):
            ppl, _ = train_epoch_ch8(net, train_iter, loss, updater, device, False, theta=1)
            epoch_counter[0] += 1
            if with_plot:
                animator.add(epoch_counter[0], [ppl])
        if with_plot:
            animator.flush()  # what the end of a notebook cell does
        return time.perf_counter() - started

    block(False)  # warm-up
    overheads, plain_times = [], []
    for round_ in range(args.rounds):
        arms = [True, False] if round_ % 2 == 0 else [False, True]
        times = {arm: block(arm) for arm in arms}
        plain_times.append(times[False])
        overheads.append((times[True] - times[False]) / times[False])
    epoch_seconds = statistics.median(plain_times) / args.epochs
    print(f"device {device}, threads {torch.get_num_threads()}, {args.rounds} rounds of {args.epochs} epochs per arm")
    print(f"epoch time without plot: {epoch_seconds * 1000:.0f} ms")
    print(f"animator drawing time (its own clock): {animator.draw_seconds:.2f} s over "
          f"{args.rounds * args.epochs} points")
    print(f"overhead per round: {', '.join(f'{o:+.1%}' for o in overheads)}")
    print(f"animator_overhead_median {statistics.median(overheads):.3%}")


if __name__ == "__main__":
    main()
