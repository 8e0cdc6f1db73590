"""Training throughput of the Keras MNIST CNN (or the Fashion-MNIST CNN) in PyTorch (a benchmark, not a test).

The same training step as tools/bench/TrainThroughput.java: x / 255 inside the model, the Keras
MNIST CNN (conv 32, pool, conv 64, pool, conv 64, dense 64, dense 10), softmax cross-entropy,
RMSprop(lr=0.001), batch 64, over 6,400 random 28x28 byte images shuffled each epoch. Steps are
timed in windows of 20 after a warm-up; prints the median window's images per second.

    OPENBLAS_NUM_THREADS=1 python3 tools/bench/torch_train.py [threads] [batch] [batches] [mnist|fashion]

"fashion" trains the course's Fashion-MNIST CNN of tools/bench/fashion_cnn.cnn instead (same-padded
convolutions, dropout 0.5, Adam(lr=0.001)), the network TrainThroughput.java trains from that file.
"""
import statistics
import sys
import time

import torch
from torch import nn

WINDOW = 20


def model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(576, 64), nn.ReLU(),
        nn.Linear(64, 10))


def fashion():
    return nn.Sequential(
        nn.Conv2d(1, 64, 7, padding=3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
        nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(128, 256, 3, padding=1), nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(2304, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(64, 10))


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    batches = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    warmup = 60
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    n = batch * 100
    pixels = torch.randint(0, 256, (n, 1, 28, 28), dtype=torch.uint8)
    labels = torch.randint(0, 10, (n,))
    which = sys.argv[4] if len(sys.argv) > 4 else "mnist"
    net = fashion() if which == "fashion" else model()
    opt = (torch.optim.Adam(net.parameters(), lr=0.001) if which == "fashion"
           else torch.optim.RMSprop(net.parameters(), lr=0.001))
    loss_fn = nn.CrossEntropyLoss()
    stamps = [time.perf_counter()]
    while len(stamps) <= batches + warmup:
        order = torch.randperm(n)
        for b in range(0, n, batch):
            idx = order[b:b + batch]
            x = pixels[idx].float() / 255.0
            y = labels[idx]
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            stamps.append(time.perf_counter())
            if len(stamps) > batches + warmup:
                break
    rates = [WINDOW * batch / (stamps[i + WINDOW] - stamps[i])
             for i in range(warmup, len(stamps) - WINDOW, WINDOW)]
    median = statistics.median_low(rates)
    print("pytorch %s: %s, %d threads, batch %d, %s: median %.0f images/s over %d windows of %d "
          "batches (min %.0f, max %.0f)" % (torch.__version__, which, threads, batch, type(opt).__name__, median, len(rates), WINDOW,
                                            min(rates), max(rates)))
    print("RESULT pytorch %d" % round(median))


if __name__ == "__main__":
    main()
