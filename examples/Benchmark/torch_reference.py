#!/usr/bin/env python3
"""PyTorch / numpy reference for the Sequential.Net benchmark (examples/Benchmark).

The C# side writes the data it trains on as raw little-endian float32 files into a folder and runs
this script on the same files, so both sides see identical data:

  meta.json        {"train": N, "test": M, "features": 784}
  x_train.f32      N x 784 inputs (already scaled to 0..1)
  y_train.f32      N labels (class index as float)
  x_test.f32       M x 784 inputs

Modes (combinable):
  --probe                     print versions and the BLAS numpy uses, nothing else
  --mlp DIR --batch-sizes 32,128 --warmup-steps 200 [--timed-epochs 2] [--predict-reps 3]
                              timed epochs of the seed MLP per batch size (the fastest counts)
                              + Predict on the test set
  --device cuda               run --mlp on the GPU (torch.cuda): the data lives on the device, the
                              shuffle runs there, TF32 is off (strict FP32, like Sequential.Net's default)
  --cuda-graphs               with --device cuda: each full-size training step (forward, loss, backward,
                              Adam with capturable=True) is captured once as a CUDA graph and replayed, the
                              batch copied into static inputs first (as Sequential.Net does); a last
                              partial batch runs eagerly
  --gemm --reps 5 --min-seconds 0.2
                              numpy float32 matmul GFLOP/s at the benchmark's shapes

Threads: --threads T sets torch.set_num_threads(T); the BLAS thread count must be set by the caller
in the environment (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS) because OpenBLAS reads
it when it loads. The result is one JSON object on the last line of stdout.
"""
import argparse
import json
import os
import sys
import time

GEMM_SHAPES = [
    # label, m, n, k, transA
    ("32x784x128", 32, 128, 784, False),
    ("128x784x128", 128, 128, 784, False),
    ("784x128 k=128 (A^T)", 784, 128, 128, True),
    ("1024^3", 1024, 1024, 1024, False),
]


def blas_summary(np):
    """One line naming the BLAS numpy uses: threadpoolctl if present, else the loaded libraries."""
    try:
        import threadpoolctl  # noqa: F401
        infos = threadpoolctl.threadpool_info()
        blas = [i for i in infos if i.get("user_api") == "blas"]
        if blas:
            return "; ".join(
                f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
                f"{i.get('num_threads')} threads, {os.path.basename(i.get('filepath', ''))})" for i in blas)
    except Exception:  # threadpoolctl missing or too old
        pass
    libs = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path).lower()
                if path.startswith("/") and ("blas" in name or "mkl" in name or "blis" in name) and path not in libs:
                    libs.append(path)
    except OSError:
        pass
    detail = ""
    for path in libs:
        try:
            import ctypes
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            threads = lib.openblas_get_num_threads()
            config = lib.openblas_get_config().decode().strip()
            if not config.startswith("OpenBLAS"):
                config = "OpenBLAS " + config
            detail = (f"{config}, core "
                      f"{lib.openblas_get_corename().decode()}, {threads} threads")
            break
        except (OSError, AttributeError):
            continue
    if libs:
        names = ", ".join(os.path.basename(p) for p in libs)
        return f"{detail} ({names})" if detail else names
    try:  # last resort: numpy's build configuration
        import io
        import contextlib
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            np.show_config()
        for line in buf.getvalue().splitlines():
            if "libraries" in line or "name" in line:
                return "numpy.show_config: " + line.strip()
    except Exception:
        pass
    return "unknown"


def read_f32(folder, name, *shape):
    import numpy as np
    data = np.fromfile(os.path.join(folder, name), dtype="<f4")
    return data.reshape(shape)


def run_mlp(args, result):
    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    result["torch_threads"] = torch.get_num_threads()
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit(f"torch {torch.__version__} sees no GPU (torch.cuda.is_available() is False)")
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        result["cuda_device"] = torch.cuda.get_device_name(device)
        result["torch_cuda"] = torch.version.cuda
    with open(os.path.join(args.mlp, "meta.json")) as f:
        meta = json.load(f)
    n, m, d = meta["train"], meta["test"], meta["features"]
    x_train = torch.from_numpy(read_f32(args.mlp, "x_train.f32", n, d).copy()).to(device)
    y_train = torch.from_numpy(read_f32(args.mlp, "y_train.f32", n).astype(np.int64)).to(device)
    x_test = torch.from_numpy(read_f32(args.mlp, "x_test.f32", m, d).copy()).to(device)

    def make_model():
        torch.manual_seed(42)
        model = nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
        for layer in model:  # Keras defaults, like the C# model: Glorot-uniform kernels, zero biases
            if isinstance(layer, nn.Linear):
                nn.init.xavier_uniform_(layer.weight)
                nn.init.zeros_(layer.bias)
        return model.to(device)

    def train(model, optimizer, loss_fn, count, batch_size, max_steps=None):
        """Keras-like epoch: shuffled permutation, index-batched, running loss and accuracy kept as tensors."""
        model.train()
        perm = torch.randperm(count, device=device)
        total_loss = torch.zeros((), device=device)
        correct = torch.zeros((), dtype=torch.int64, device=device)
        steps = 0
        for start in range(0, count, batch_size):
            idx = perm[start:start + batch_size]
            xb, yb = x_train[idx], y_train[idx]
            optimizer.zero_grad(set_to_none=True)
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total_loss += loss.detach() * len(idx)
                correct += (out.argmax(1) == yb).sum()
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        return float(total_loss) / count, float(correct) / count

    def graphed_train(model, optimizer, loss_fn, count, batch_size, max_steps=None, state={}):
        """train() with each full-size step replayed from a CUDA graph captured on the first call."""
        key = (id(model), batch_size)
        if key not in state:
            static_x = torch.zeros(batch_size, d, device=device)
            static_y = torch.zeros(batch_size, dtype=torch.int64, device=device)
            static_x.copy_(x_train[:batch_size])
            static_y.copy_(y_train[:batch_size])
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):  # warm-up on a side stream, as torch.cuda.graph's documentation asks
                for _ in range(3):
                    optimizer.zero_grad(set_to_none=True)
                    loss_fn(model(static_x), static_y).backward()
                    optimizer.step()
            torch.cuda.current_stream().wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            optimizer.zero_grad(set_to_none=True)
            with torch.cuda.graph(graph):
                static_out = model(static_x)
                static_loss = loss_fn(static_out, static_y)
                static_loss.backward()
                optimizer.step()
            state[key] = (graph, static_x, static_y, static_out, static_loss)
        graph, static_x, static_y, static_out, static_loss = state[key]
        model.train()
        perm = torch.randperm(count, device=device)
        total_loss = torch.zeros((), device=device)
        correct = torch.zeros((), dtype=torch.int64, device=device)
        steps = 0
        for start in range(0, count, batch_size):
            idx = perm[start:start + batch_size]
            if len(idx) == batch_size:
                static_x.copy_(x_train[idx])
                static_y.copy_(y_train[idx])
                graph.replay()
                out, loss, yb = static_out, static_loss, static_y
            else:  # the last partial batch: eager (the gradients are replaced, not added: set_to_none is off)
                xb, yb = x_train[idx], y_train[idx]
                for p in model.parameters():
                    p.grad.zero_()
                out = model(xb)
                loss = loss_fn(out, yb)
                loss.backward()
                optimizer.step()
            with torch.no_grad():
                total_loss += loss.detach() * len(idx)
                correct += (out.argmax(1) == yb).sum()
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        return float(total_loss) / count, float(correct) / count

    graphs = getattr(args, "cuda_graphs", False)
    if graphs and device.type != "cuda":
        raise SystemExit("--cuda-graphs needs --device cuda")
    result["cuda_graphs"] = graphs
    runs = []
    for batch_size in args.batch_sizes:
        model = make_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=True) if graphs else torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        if graphs:
            train = graphed_train
        train(model, optimizer, loss_fn, n, batch_size, max_steps=args.warmup_steps)  # warm-up
        peak_reset = reset_peak_rss()
        seconds = float("inf")
        for epoch in range(max(1, args.timed_epochs)):  # the fastest counts; loss/accuracy of the first
            t0 = time.perf_counter()
            epoch_loss, epoch_acc = train(model, optimizer, loss_fn, n, batch_size)
            seconds = min(seconds, time.perf_counter() - t0)
            if epoch == 0:
                loss, acc = epoch_loss, epoch_acc
        runs.append({"batch_size": batch_size, "seconds": seconds, "samples_per_s": n / seconds,
                     "loss": loss, "accuracy": acc,
                     "peak_rss_mb": peak_rss_mb() if peak_reset else None})

    model.eval()
    times = []
    with torch.no_grad():
        for rep in range(args.predict_reps + 1):
            t0 = time.perf_counter()
            for start in range(0, m, args.predict_batch):
                torch.softmax(model(x_test[start:start + args.predict_batch]), dim=1)
            if device.type == "cuda":
                torch.cuda.synchronize()
            if rep > 0:  # rep 0 is the warm-up
                times.append(time.perf_counter() - t0)
    times.sort()
    predict_seconds = times[len(times) // 2]
    result["mlp"] = runs
    result["predict"] = {"batch_size": args.predict_batch, "samples": m, "seconds": predict_seconds,
                         "samples_per_s": m / predict_seconds}


def run_cnn(args, result):
    """The Keras tutorial CNN of examples/FashionMnistCnn: one timed epoch at batch 128 and Predict throughput."""
    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    with open(os.path.join(args.cnn, "meta.json")) as f:
        meta = json.load(f)
    n, m = meta["train"], meta["test"]
    x_train = torch.from_numpy(read_f32(args.cnn, "x_train.f32", n, 1, 28, 28).copy())
    y_train = torch.from_numpy(read_f32(args.cnn, "y_train.f32", n).astype(np.int64))
    x_test = torch.from_numpy(read_f32(args.cnn, "x_test.f32", m, 1, 28, 28).copy())
    torch.manual_seed(42)
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(max_steps=None):
        model.train()
        perm = torch.randperm(n)
        for step, start in enumerate(range(0, n, 128)):
            if max_steps is not None and step >= max_steps:
                break
            idx = perm[start:start + 128]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()

    epoch(max_steps=args.warmup_steps)
    seconds = float("inf")
    for _ in range(max(1, args.timed_epochs)):
        t0 = time.perf_counter()
        epoch()
        seconds = min(seconds, time.perf_counter() - t0)
    model.eval()

    def predict_rate(batch):
        times = []
        with torch.no_grad():
            for rep in range(args.predict_reps + 1):
                t0 = time.perf_counter()
                for start in range(0, m, batch):
                    torch.softmax(model(x_test[start:start + batch]), dim=1)
                if rep > 0:
                    times.append(time.perf_counter() - t0)
        times.sort()
        return m / times[len(times) // 2]

    # Also at the training batch of 128: PyTorch 1.13's CPU convolution is several times slower per sample at
    # batch 1000 than at 128, so the batch-1000 row alone understates what PyTorch can do.
    result["cnn"] = {"threads": torch.get_num_threads(), "samples": n, "seconds": seconds,
                     "predict_samples_per_s": predict_rate(args.predict_batch),
                     "predict128_samples_per_s": predict_rate(128)}


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def run_gemm(args, result):
    import numpy as np
    rng = np.random.default_rng(1)
    out = []
    for label, m, n, k, trans_a in GEMM_SHAPES:
        a = rng.standard_normal((k, m) if trans_a else (m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
        op_a = a.T if trans_a else a
        np.matmul(op_a, b, out=c)  # warm-up
        # Calibrate: enough calls that one repetition lasts about min_seconds.
        calls, t0 = 1, time.perf_counter()
        np.matmul(op_a, b, out=c)
        one = max(time.perf_counter() - t0, 1e-7)
        calls = max(1, int(args.min_seconds / one))
        best = float("inf")
        for _ in range(args.reps):
            t0 = time.perf_counter()
            for _ in range(calls):
                np.matmul(op_a, b, out=c)
            best = min(best, (time.perf_counter() - t0) / calls)
        out.append({"label": label, "m": m, "n": n, "k": k, "trans_a": trans_a,
                    "seconds": best, "gflops": 2.0 * m * n * k / best / 1e9})
    result["gemm"] = out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--probe", action="store_true")
    p.add_argument("--mlp", metavar="DIR")
    p.add_argument("--cnn", metavar="DIR", help="the CNN of examples/FashionMnistCnn on the data in DIR")
    p.add_argument("--batch-sizes", type=lambda s: [int(v) for v in s.split(",")], default=[32, 128])
    p.add_argument("--warmup-steps", type=int, default=200)
    p.add_argument("--timed-epochs", type=int, default=1)
    p.add_argument("--predict-batch", type=int, default=1000)
    p.add_argument("--predict-reps", type=int, default=3)
    p.add_argument("--device", default="cpu", help="cpu or cuda (for --mlp)")
    p.add_argument("--cuda-graphs", action="store_true", help="with --device cuda: replay each training step from a CUDA graph")
    p.add_argument("--gemm", action="store_true")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=0.2)
    args = p.parse_args()

    result = {"python": sys.version.split()[0], "threads": args.threads}
    try:
        import numpy as np
        result["numpy"] = np.__version__
        result["blas"] = blas_summary(np)
    except ImportError as e:
        result["numpy_error"] = str(e)
    try:
        import torch
        result["torch"] = torch.__version__
    except ImportError as e:
        result["torch_error"] = str(e)

    if args.gemm and "numpy" in result:
        run_gemm(args, result)
    if args.mlp:
        if "torch" not in result:
            raise SystemExit("torch is not importable: " + result.get("torch_error", "?"))
        run_mlp(args, result)
    if args.cnn:
        if "torch" not in result:
            raise SystemExit("torch is not importable: " + result.get("torch_error", "?"))
        run_cnn(args, result)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
