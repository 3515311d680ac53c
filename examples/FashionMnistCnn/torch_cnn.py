"""The same CNN as Program.cs in PyTorch, for the accuracy comparison in README.

Conv2d(1, 32, 3) → ReLU → MaxPool2d(2) → Conv2d(32, 64, 3) → ReLU → MaxPool2d(2) → Flatten → Dropout(0.5) →
Linear(1600, 10); Adam 1e-3, batch 128, shuffled; Keras's initializers (glorot_uniform kernels, zero biases).
Usage: /usr/bin/python3 torch_cnn.py EPOCHS THREADS [IDX_DIR [SEED]]  (IDX_DIR defaults to Debian's fashion-mnist
folder, SEED to 42).
"""
import gzip, os, sys, time
import torch
from torch import nn


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(folder, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(stem)


def main():
    epochs, threads = int(sys.argv[1]), int(sys.argv[2])
    folder = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(threads)
    torch.manual_seed(int(sys.argv[4]) if len(sys.argv) > 4 else 42)
    x = idx(find(folder, "train-images-idx3-ubyte")).float().unsqueeze(1) / 255
    y = idx(find(folder, "train-labels-idx1-ubyte")).long()
    xt = idx(find(folder, "t10k-images-idx3-ubyte")).float().unsqueeze(1) / 255
    yt = idx(find(folder, "t10k-labels-idx1-ubyte")).long()
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    for m in model:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            batch = order[i:i + 128]
            opt.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            start = time.perf_counter()
            logits = torch.cat([model(xt[i:i + 1000]) for i in range(0, len(xt), 1000)])
            predict = time.perf_counter() - start
            acc = (logits.argmax(1) == yt).float().mean().item()
        print(f"epoch {epoch + 1}: {seconds:.1f} s, test accuracy {acc:.4f}, predict {len(xt) / predict:.0f} samples/s", flush=True)


if __name__ == "__main__":
    main()
