#!/usr/bin/env python3
"""The numpy side of `npm run bench`: the homework's three timed networks, written in numpy.

    python3 bench/numpy_baseline.py --data data/mnist_subset.json --batches 60 --warmup 5 \
        --models mlp,cnn,cnn2 --threads 1

The modules follow /work/shared/HOMEWORK.md as the original numpy handout would write them:
`matmul` for the linear layers, the classic fancy-indexing `im2col_indices` and an `np.add.at`
`col2im_indices` for the convolution and the max-pool, numpy's legacy global generator for the
parameters, the epoch's permutation and the dropout masks. Each model is timed as the first
minibatches of a training epoch (seed, build, permutation, then per batch: forward with dropout
on, loss, backward, SGD update), then as evaluation batches (the first batches of the training
set in stored order, dropout off). A throwaway run of `--warmup` batches comes first, then the
generator is seeded again, so the timed run draws exactly what a real run draws.

Prints one JSON object on stdout (layout at `report` below); bench/bench.ts reads it. Progress
goes to stderr. Unknown options are refused by argparse, which names them (exit code 2).
"""

import argparse
import json
import os
import platform
import sys
import time

MODEL_NAMES = ("mlp", "cnn", "cnn2")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="numpy_baseline.py",
        description="Times the homework's MLP, CNN and CNN2 in numpy; prints JSON on stdout.",
    )
    parser.add_argument("--data", required=True, help="mnist_subset.json")
    parser.add_argument("--batches", type=int, default=60, help="timed minibatches per phase")
    parser.add_argument("--warmup", type=int, default=5, help="untimed minibatches first")
    parser.add_argument("--models", default=",".join(MODEL_NAMES), help="comma-separated")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads")
    args = parser.parse_args(argv)

    args.models = [name for name in args.models.split(",") if name]
    unknown = [name for name in args.models if name not in MODEL_NAMES]
    if unknown or not args.models:
        parser.error(f"--models: unknown {unknown}, expected some of {list(MODEL_NAMES)}")
    if not 1 <= args.batches <= BATCHES_PER_EPOCH:
        parser.error(f"--batches {args.batches} out of range [1, {BATCHES_PER_EPOCH}]")
    if not 0 <= args.warmup <= BATCHES_PER_EPOCH:
        parser.error(f"--warmup {args.warmup} out of range [0, {BATCHES_PER_EPOCH}]")
    if args.threads < 1:
        parser.error(f"--threads {args.threads} must be >= 1")
    return args


TRAIN_EXAMPLES = 6000
MINIBATCH = 5
BATCHES_PER_EPOCH = TRAIN_EXAMPLES // MINIBATCH
SEED = 2

ARGS = parse_args(sys.argv[1:]) if __name__ == "__main__" else None
if ARGS is not None:
    # BLAS reads its thread count once, when numpy loads it.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(ARGS.threads)

import numpy as np  # noqa: E402


# ---------------------------------------------------------------------------------------------
# im2col, as the classic numpy handout lays it out:
#   cols: [C * kH * kW, outH * outW * N], row (c * kH + i) * kW + j, column (y * outW + x) * N + n


def output_size(size, field, padding, stride):
    span = size + 2 * padding - field
    if span < 0 or span % stride != 0:
        raise ValueError(f"im2col: window {field} padding {padding} stride {stride} vs size {size}")
    return span // stride + 1


def im2col_index_arrays(x_shape, field_height, field_width, padding, stride):
    _, channels, height, width = x_shape
    out_height = output_size(height, field_height, padding, stride)
    out_width = output_size(width, field_width, padding, stride)

    # Offsets inside the window, one row per (channel, i, j).
    row_i = np.tile(np.repeat(np.arange(field_height), field_width), channels)
    row_j = np.tile(np.arange(field_width), field_height * channels)
    # Top-left corners, one column per output position (y, x).
    col_i = stride * np.repeat(np.arange(out_height), out_width)
    col_j = stride * np.tile(np.arange(out_width), out_height)

    rows_i = row_i.reshape(-1, 1) + col_i.reshape(1, -1)  # [C*kH*kW, outH*outW]
    rows_j = row_j.reshape(-1, 1) + col_j.reshape(1, -1)
    rows_c = np.repeat(np.arange(channels), field_height * field_width).reshape(-1, 1)
    return rows_c, rows_i, rows_j


def im2col_indices(x, field_height, field_width, padding, stride):
    p = padding
    padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant")
    c, i, j = im2col_index_arrays(x.shape, field_height, field_width, padding, stride)

    cols = padded[:, c, i, j]  # [N, C*kH*kW, outH*outW]
    rows = field_height * field_width * x.shape[1]
    return cols.transpose(1, 2, 0).reshape(rows, -1)  # [C*kH*kW, outH*outW*N]


def col2im_indices(cols, x_shape, field_height, field_width, padding, stride):
    batch, channels, height, width = x_shape
    p = padding
    padded = np.zeros((batch, channels, height + 2 * p, width + 2 * p), dtype=cols.dtype)
    c, i, j = im2col_index_arrays(x_shape, field_height, field_width, padding, stride)

    rows = channels * field_height * field_width
    per_example = cols.reshape(rows, -1, batch).transpose(2, 0, 1)  # [N, C*kH*kW, outH*outW]
    np.add.at(padded, (slice(None), c, i, j), per_example)

    if p == 0:
        return padded
    return padded[:, :, p:-p, p:-p]


# ---------------------------------------------------------------------------------------------
# Modules (HOMEWORK.md, "Modules"). forward(x, is_train) for all, so a network is a list.


class LinearLayer:
    def __init__(self, input_d, output_d):
        self.params = {
            "W": np.random.normal(0, 0.1, (input_d, output_d)),
            "b": np.random.normal(0, 0.1, (1, output_d)),
        }
        self.gradient = {"W": np.zeros((input_d, output_d)), "b": np.zeros((1, output_d))}

    def forward(self, x, is_train):
        return np.matmul(x, self.params["W"]) + self.params["b"]

    def backward(self, x, grad):
        self.gradient["W"] = np.matmul(x.T, grad)
        self.gradient["b"] = np.sum(grad, axis=0, keepdims=True)
        return np.matmul(grad, self.params["W"].T)


class Relu:
    def forward(self, x, is_train):
        return np.maximum(0, x)

    def backward(self, x, grad):
        return grad * (x > 0)


class Dropout:
    def __init__(self, rate):
        self.rate = rate
        self.mask = None

    def forward(self, x, is_train):
        if is_train:
            keep = (np.random.uniform(0.0, 1.0, x.shape) >= self.rate).astype(float)
            self.mask = keep * (1.0 / (1.0 - self.rate))
        else:
            self.mask = np.ones(x.shape)
        return x * self.mask

    def backward(self, x, grad):
        return grad * self.mask


class ConvLayer:
    def __init__(self, num_input, num_output, filter_len, stride):
        shape = (num_output, num_input, filter_len, filter_len)
        self.params = {
            "W": np.random.normal(0, 0.1, shape),
            "b": np.random.normal(0, 0.1, (num_output, 1)),
        }
        self.gradient = {"W": np.zeros(shape), "b": np.zeros((num_output, 1))}
        self.stride = stride
        self.padding = (filter_len - 1) // 2
        self.x_col = None

    def forward(self, x, is_train):
        filters, _, field_height, field_width = self.params["W"].shape
        batch, _, height, width = x.shape
        out_height = output_size(height, field_height, self.padding, self.stride)
        out_width = output_size(width, field_width, self.padding, self.stride)

        self.x_col = im2col_indices(x, field_height, field_width, self.padding, self.stride)
        w_col = self.params["W"].reshape(filters, -1)  # [F, C*kH*kW]
        out = np.matmul(w_col, self.x_col) + self.params["b"]  # [F, outH*outW*N]

        return out.reshape(filters, out_height, out_width, batch).transpose(3, 0, 1, 2)

    def backward(self, x, grad):
        filters, _, field_height, field_width = self.params["W"].shape

        grad_cols = grad.transpose(1, 2, 3, 0).reshape(filters, -1)  # [F, outH*outW*N]
        self.gradient["b"] = np.sum(grad, axis=(0, 2, 3)).reshape(filters, -1)
        self.gradient["W"] = np.matmul(grad_cols, self.x_col.T).reshape(self.params["W"].shape)

        w_col = self.params["W"].reshape(filters, -1)
        dx_col = np.matmul(w_col.T, grad_cols)  # [C*kH*kW, outH*outW*N]
        return col2im_indices(
            dx_col, x.shape, field_height, field_width, self.padding, self.stride
        )


class MaxPool:
    def __init__(self, max_len, stride):
        self.max_len = max_len
        self.stride = stride
        self.x_col = None
        self.argmax = None

    def forward(self, x, is_train):
        batch, channels, height, width = x.shape
        out_height = output_size(height, self.max_len, 0, self.stride)
        out_width = output_size(width, self.max_len, 0, self.stride)

        planes = x.reshape(batch * channels, 1, height, width)
        self.x_col = im2col_indices(planes, self.max_len, self.max_len, 0, self.stride)
        self.argmax = np.argmax(self.x_col, axis=0)  # first maximum of each window
        out = self.x_col[self.argmax, np.arange(self.argmax.size)]

        return out.reshape(out_height, out_width, batch, channels).transpose(2, 3, 0, 1)

    def backward(self, x, grad):
        batch, channels, height, width = x.shape

        d_cols = np.zeros_like(self.x_col)
        d_cols[self.argmax, np.arange(self.argmax.size)] = grad.transpose(2, 3, 0, 1).ravel()
        plane_shape = (batch * channels, 1, height, width)
        d_planes = col2im_indices(d_cols, plane_shape, self.max_len, self.max_len, 0, self.stride)
        return d_planes.reshape(x.shape)


class FlattenLayer:
    def forward(self, x, is_train):
        return x.reshape(x.shape[0], -1)

    def backward(self, x, grad):
        return grad.reshape(x.shape)


class SoftmaxCrossEntropy:
    def forward(self, x, y):
        batch, classes = x.shape
        self.onehot = np.zeros((batch, classes))
        self.onehot[np.arange(batch), y.astype(int).reshape(-1)] = 1.0

        calib_logit = x - np.amax(x, axis=1, keepdims=True)
        sum_exp = np.sum(np.exp(calib_logit), axis=1, keepdims=True)
        self.prob = np.exp(calib_logit) / sum_exp
        return -np.sum(self.onehot * (calib_logit - np.log(sum_exp))) / batch

    def backward(self, x, y):
        return -(self.onehot - self.prob) / x.shape[0]


# ---------------------------------------------------------------------------------------------
# The three timed networks, with the settings of the homework run each one mirrors.

NETWORKS = {
    "mlp": {
        "run": "Q3.4",
        "image": False,
        "settings": {"learning_rate": 0.01, "alpha": 0.0, "lambda": 0.0, "dropout_rate": 0.5},
        "build": lambda rate: [
            ("L1", LinearLayer(784, 1000)),
            ("nonlinear1", Relu()),
            ("drop1", Dropout(rate)),
            ("L2", LinearLayer(1000, 10)),
        ],
    },
    "cnn": {
        "run": "Q3.8",
        "image": True,
        "settings": {"learning_rate": 0.01, "alpha": 0.9, "lambda": 0.0, "dropout_rate": 0.5},
        "build": lambda rate: [
            ("C1", ConvLayer(1, 25, 5, 1)),
            ("nonlinear1", Relu()),
            ("M1", MaxPool(2, 2)),
            ("F1", FlattenLayer()),
            ("drop1", Dropout(rate)),
            ("L1", LinearLayer(4900, 10)),
        ],
    },
    "cnn2": {
        "run": "Q3.10",
        "image": True,
        "settings": {"learning_rate": 0.001, "alpha": 0.9, "lambda": 0.0, "dropout_rate": 0.5},
        "build": lambda rate: [
            ("C1", ConvLayer(1, 25, 5, 1)),
            ("nonlinear1", Relu()),
            ("M1", MaxPool(2, 2)),
            ("C2", ConvLayer(25, 25, 3, 1)),
            ("nonlinear2", Relu()),
            ("M2", MaxPool(2, 2)),
            ("F1", FlattenLayer()),
            ("drop1", Dropout(rate)),
            ("L1", LinearLayer(1225, 10)),
        ],
    },
}


def forward_pass(layers, x, is_train):
    """The input of every layer, then the scores."""
    inputs = []
    for _, layer in layers:
        inputs.append(x)
        x = layer.forward(x, is_train)
    return inputs, x


def backward_pass(layers, inputs, grad):
    for (_, layer), x in zip(reversed(layers), reversed(inputs)):
        grad = layer.backward(x, grad)


def add_momentum(layers):
    return {
        f"{name}_{key}": np.zeros(value.shape)
        for name, layer in layers
        if hasattr(layer, "params")
        for key, value in layer.params.items()
    }


def sgd_step(layers, momentum, lam, alpha, learning_rate):
    for name, layer in layers:
        if not hasattr(layer, "params"):
            continue
        for key in layer.params:
            g = layer.gradient[key] + lam * layer.params[key]
            if alpha > 0.0:
                velocity = alpha * momentum[f"{name}_{key}"] - learning_rate * g
                momentum[f"{name}_{key}"] = velocity
                layer.params[key] += velocity
            else:
                layer.params[key] -= learning_rate * g


# ---------------------------------------------------------------------------------------------
# Timing


def measure(work):
    """Runs work(); returns its result with process CPU seconds and wall seconds."""
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    result = work()
    return result, time.process_time() - cpu_start, time.perf_counter() - wall_start


def run_phases(network, x_train, y_train, batches):
    """A training epoch's first `batches` minibatches, then `batches` evaluation batches."""
    settings = network["settings"]
    np.random.seed(SEED)
    layers = network["build"](settings["dropout_rate"])
    loss = SoftmaxCrossEntropy()
    momentum = add_momentum(layers) if settings["alpha"] > 0 else None
    order = np.random.permutation(TRAIN_EXAMPLES)

    def train():
        loss_sum = 0.0
        for i in range(batches):
            idx = order[i * MINIBATCH : (i + 1) * MINIBATCH]
            x, y = x_train[idx], y_train[idx]

            inputs, scores = forward_pass(layers, x, True)
            loss_sum += loss.forward(scores, y)
            backward_pass(layers, inputs, loss.backward(scores, y))
            sgd_step(
                layers, momentum, settings["lambda"], settings["alpha"], settings["learning_rate"]
            )
        return {"loss_sum": loss_sum}

    def evaluate():
        loss_sum = 0.0
        correct = 0
        for i in range(batches):
            idx = np.arange(i * MINIBATCH, (i + 1) * MINIBATCH)
            x, y = x_train[idx], y_train[idx]

            _, scores = forward_pass(layers, x, False)
            loss_sum += loss.forward(scores, y)
            correct += int(np.sum(np.argmax(scores, axis=1).reshape(-1, 1) == y))
        return {"loss_sum": loss_sum, "correct": correct}

    phases = {}
    for phase, work in (("train", train), ("eval", evaluate)):
        checks, cpu, wall = measure(work)
        phases[phase] = {"batches": batches, "cpu_s": cpu, "wall_s": wall, **checks}
    return phases


def load_train_split(file):
    with open(file, "rb") as f:
        parsed = json.load(f)
    rows, labels = parsed["train"]
    x = np.array(rows, dtype=np.float64)  # [6000, 784]
    y = np.array(labels, dtype=np.float64).reshape(-1, 1)  # [6000, 1]
    if x.shape != (TRAIN_EXAMPLES, 784) or y.shape != (TRAIN_EXAMPLES, 1):
        raise ValueError(f"{file}: train split is {x.shape} / {y.shape}, expected (6000, 784)")
    return x, y


# ---------------------------------------------------------------------------------------------
# Which BLAS numpy uses


def blas_build_info():
    """The BLAS numpy was built against, from numpy.show_config (None when it cannot say)."""
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return {
            "name": blas.get("name"),
            "version": blas.get("version"),
            "config": " ".join(str(blas.get("openblas configuration", "")).split()) or None,
        }
    except Exception:  # older numpy: no mode="dicts"
        return None


def blas_runtime_info():
    """The BLAS libraries loaded and the kernel they run (threadpoolctl, else OpenBLAS itself)."""
    try:
        import threadpoolctl

        return {"source": "threadpoolctl", "libraries": threadpoolctl.threadpool_info()}
    except ImportError:
        pass
    return openblas_ctypes_info()


def openblas_ctypes_info():
    """Asks a loaded OpenBLAS for its core name, as threadpoolctl does. Linux only; else None."""
    import ctypes

    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    except OSError:
        return None
    libraries = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        info = {"filepath": path}
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                for field in ("corename", "config"):
                    getter = getattr(lib, f"{prefix}get_{field}{suffix}", None)
                    if getter is not None and field not in info:
                        getter.restype = ctypes.c_char_p
                        info[field] = getter().decode("utf-8", "replace").strip()
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                if threads is not None and "num_threads" not in info:
                    info["num_threads"] = threads()
        libraries.append(info)
    return {"source": "ctypes", "libraries": libraries} if libraries else None


# ---------------------------------------------------------------------------------------------


def main(args):
    print(f"numpy_baseline: loading {args.data}", file=sys.stderr)
    x_flat, y_train = load_train_split(args.data)

    models = {}
    for name in args.models:
        network = NETWORKS[name]
        x_train = x_flat.reshape(-1, 1, 28, 28) if network["image"] else x_flat
        print(f"numpy_baseline: {name}", file=sys.stderr)
        if args.warmup > 0:
            run_phases(network, x_train, y_train, args.warmup)
        phases = run_phases(network, x_train, y_train, args.batches)
        models[name] = {"run": network["run"], "settings": network["settings"], **phases}

    report = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "threads": args.threads,
        "blas_build": blas_build_info(),
        "blas_runtime": blas_runtime_info(),
        "env": {name: os.environ.get(name) for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "seed": SEED,
        "warmup": args.warmup,
        "models": models,
    }
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(ARGS)
