#!/usr/bin/env python3
"""Development-only generator of the numpy fixtures in test/fixtures/numpy/.

    python3 tools/numpy/make_fixtures.py            # from the repository root

Needs Python 3 and numpy (written against numpy 2.x; the legacy generator it exercises,
`np.random.seed` / `RandomState`, has been frozen for years). The product and its test suite
never run Python: the three JSON files this script writes are committed, and the tests
`test/np.test.ts` and `test/numpy-modules.test.ts` read them. Run it again only to change or
extend the fixtures, then review the diff and commit the JSON with the script.

Files written (their layout is documented at the top of the test that reads each one):
  random.json   numpy's legacy global generator after np.random.seed(s): normal, uniform,
                random_sample, permutation, seed() clearing the cached Gaussian, the data split
                permutation(10000) of HOMEWORK.md, the linear_layer acceptance case and dropout
                masks.
  ops.json      numpy's results for the operations reference/np.ts provides, on small inputs.
  modules.json  a direct numpy implementation of the HOMEWORK.md modules (linear_layer, relu,
                dropout, softmax_cross_entropy, max_pool, conv_layer): inputs and outputs.

Floats are written by `json` as Python's repr, the shortest text that reads back as the same
double, so every value round-trips exactly through JSON.parse. NaN and infinities are never
needed and are refused (allow_nan=False); -0.0 is written as "-0.0", which JSON.parse keeps.
Arrays are stored flat in row-major order next to their shape.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "..", "test", "fixtures", "numpy")


# ---------------------------------------------------------------------------------------------
# Encoding


def flat(a):
    """Row-major values of an array as plain Python floats (exact round-trip)."""
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def enc(a):
    """An array as {"shape": [...], "data": [flat row-major floats]}."""
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": flat(a)}


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def write(name, payload):
    path = os.path.normpath(os.path.join(OUT_DIR, name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = json.dumps(payload, allow_nan=False, separators=(",", ":"))
    with open(path, "w") as f:
        f.write(text + "\n")
    print(f"wrote {path} ({len(text)} bytes)", file=sys.stderr)


def header(what):
    return {
        "generator": "tools/numpy/make_fixtures.py",
        "numpy_version": np.__version__,
        "about": what,
    }


# ---------------------------------------------------------------------------------------------
# random.json


class Recorder:
    """Calls numpy's global legacy generator and records each call with its result."""

    def __init__(self, name, seed):
        self.name = name
        self.calls = []
        self.seed(seed)

    def seed(self, s):
        np.random.seed(s)
        self.calls.append({"op": "seed", "seed": s})

    def normal(self, loc, scale, shape):
        out = np.random.normal(loc, scale, shape)
        self.calls.append(
            {"op": "normal", "loc": loc, "scale": scale, "shape": list(shape), "out": flat(out)}
        )
        return out

    def uniform(self, low, high, shape):
        out = np.random.uniform(low, high, shape)
        self.calls.append(
            {"op": "uniform", "low": low, "high": high, "shape": list(shape), "out": flat(out)}
        )
        return out

    def random_sample(self, shape):
        out = np.random.random_sample(shape)
        self.calls.append({"op": "random_sample", "shape": list(shape), "out": flat(out)})
        return out

    def permutation(self, n):
        out = np.random.permutation(n)
        self.calls.append({"op": "permutation", "n": n, "out": ints(out)})
        return out

    def permutation_summary(self, n, keep=50):
        """A long permutation, stored as its head, tail and two order-sensitive checksums."""
        p = np.random.permutation(n)
        h = 0
        for v in p.tolist():
            h = (h * 31 + v) % 1000000007
        self.calls.append({
            "op": "permutation_summary",
            "n": n,
            "head": ints(p[:keep]),
            "tail": ints(p[-keep:]),
            "weighted_sum": int(np.sum(np.arange(n, dtype=np.int64) * p)),
            "hash31": h,
        })
        return p

    def dropout_mask(self, r, shape):
        """HOMEWORK.md's training mask: (uniform(0, 1, shape) >= r) / (1 - r)."""
        mask = (np.random.uniform(0, 1, shape) >= r) / (1 - r)
        self.calls.append({"op": "dropout_mask", "r": r, "shape": list(shape), "out": flat(mask)})
        return mask

    def done(self):
        return {"name": self.name, "calls": self.calls}


def random_fixture():
    seqs = []

    # The handout's check value and the acceptance case: X, then linear_layer(3, 2).
    r = Recorder("seed 123: normal(0, 1, [5, 3]) then linear_layer(3, 2) W [3, 2], b [1, 2]", 123)
    r.normal(0, 1, (5, 3))
    r.normal(0, 0.1, (3, 2))
    r.normal(0, 0.1, (1, 2))
    assert r.calls[1]["out"][0] == -1.0856306033005612
    seqs.append(r.done())

    # The data split of HOMEWORK.md: permutation(10000) after seed(0).
    r = Recorder("seed 0: permutation(10000), the MNIST subset split", 0)
    r.permutation_summary(10000)
    r.random_sample((3,))
    seqs.append(r.done())

    # Mixed sequences: odd normal counts leave a cached Gaussian that the next normal uses,
    # uniform/random_sample/permutation in between do not consume it, seed() clears it.
    mixed_seeds = [0, 1, 2, 123, 2**32 - 1, 42, 1234567, 2**31]
    for s in mixed_seeds:
        r = Recorder(f"seed {s}: mixed normal/uniform/random_sample/permutation", s)
        r.normal(0, 1, (3,))  # odd: caches one Gaussian
        r.uniform(-2, 3, (2, 3))
        r.normal(0.5, 2, (2, 2))  # starts with the cached value
        r.random_sample((4,))
        r.permutation(1)
        r.permutation(2)
        r.permutation(10)
        r.normal(-1, 0.1, (1,))  # odd again
        r.permutation(7)
        r.normal(0, 1, (5,))  # cached value first
        r.random_sample((2, 2))
        r.uniform(0, 1, (3, 1))
        r.normal(0, 1, (1,))  # leaves a cached value ...
        r.seed(s)  # ... that seed() must drop
        r.normal(0, 1, (2,))
        r.normal(3, 0.5, (4, 3, 2))
        r.permutation(1000)
        r.uniform(-0.5, 0.5, (7,))
        seqs.append(r.done())

    # A longer normal stream (polar-method rejections, many log() calls).
    for s in [7, 2]:
        r = Recorder(f"seed {s}: normal(0, 1, [40, 50])", s)
        r.normal(0, 1, (40, 50))
        seqs.append(r.done())

    # Seeded dropout masks, r = 0.5 and 0.95 (HOMEWORK.md's dropout rates), then what comes next.
    for s, shape in [(0, (4, 5)), (2, (3, 7)), (123, (2, 3, 4, 4))]:
        for rate in [0.5, 0.95]:
            r = Recorder(f"seed {s}: dropout mask r={rate} shape {list(shape)}", s)
            r.dropout_mask(rate, shape)
            r.random_sample((2,))
            seqs.append(r.done())

    return {
        **header("numpy legacy np.random sequences; see test/np.test.ts"),
        "sequences": seqs,
    }


# ---------------------------------------------------------------------------------------------
# ops.json

rng = np.random.RandomState(20240601)  # inputs only; independent of the global generator


def rand(*shape):
    return rng.normal(0, 1, shape)


def ties(*shape, levels=3):
    """Halves of small integers: many ties, and zeros (never -0.0)."""
    return rng.randint(-levels, levels + 1, shape).astype(np.float64) / 2


def positive(*shape):
    return rng.uniform(0.1, 5, shape)


def ops_fixture():
    cases = []
    inputs = []  # arrays used by several cases are stored once
    seen = {}

    def arg(a):
        if isinstance(a, (int, float)):
            return a
        if isinstance(a, list):
            return {"list": a}
        if id(a) not in seen:
            seen[id(a)] = (len(inputs), a)  # keep a alive so its id stays unique
            inputs.append(enc(a))
        return {"input": seen[id(a)][0]}

    def case(op, name, args, out, **kwargs):
        args = [arg(a) for a in args]
        cases.append({"op": op, "name": name, "args": args, "kwargs": kwargs, "out": enc(out)})

    # matmul
    for n, k, m in [(3, 4, 5), (1, 7, 4), (6, 5, 1), (1, 8, 1), (5, 1, 3), (20, 30, 10)]:
        a, b = rand(n, k), rand(k, m)
        case("matmul", f"[{n}, {k}] x [{k}, {m}]", [a, b], a @ b)

    # transpose
    a = rand(3, 5)
    case("transpose", "[3, 5] default", [a], a.T)
    a = rand(2, 3, 4, 5)
    for axes in [[1, 0, 2, 3], [0, 2, 3, 1], [0, 3, 1, 2], [3, 1, 0, 2]]:
        case("transpose", f"[2, 3, 4, 5] axes {axes}", [a], np.transpose(a, axes), axes=axes)
    case("transpose", "[2, 3, 4, 5] default", [a], a.T)

    # element-wise binary ops with broadcasting
    shapes = [
        ("[4, 5] and [4, 5]", (4, 5), (4, 5)),
        ("[4, 5] and [1, 5]", (4, 5), (1, 5)),
        ("[4, 5] and [4, 1]", (4, 5), (4, 1)),
        ("[1, 5] and [4, 5]", (1, 5), (4, 5)),
        ("[4, 1] and [1, 5]", (4, 1), (1, 5)),
        ("[4, 5] and [5]", (4, 5), (5,)),
        ("[2, 3, 4, 4] and [1, 3, 1, 1]", (2, 3, 4, 4), (1, 3, 1, 1)),
        ("[1, 3, 1, 1] and [2, 3, 4, 4]", (1, 3, 1, 1), (2, 3, 4, 4)),
        ("[2, 3, 4, 4] and [3, 1, 1]", (2, 3, 4, 4), (3, 1, 1)),
    ]
    funcs = {
        "add": np.add,
        "subtract": np.subtract,
        "multiply": np.multiply,
        "divide": np.divide,
        "maximum": np.maximum,
        "greater": np.greater,
        "greater_equal": np.greater_equal,
    }
    for op, fn in funcs.items():
        for label, sa, sb in shapes:
            if op in ("maximum", "greater", "greater_equal"):
                x, y = ties(*sa), ties(*sb)  # many equal pairs
                # signed-zero ties are not determined by numpy (see the test): no -0.0 here
                x, y = x + 0.0, y + 0.0
            elif op == "divide":
                x, y = rand(*sa), positive(*sb) * rng.choice([-1.0, 1.0], sb)
            else:
                x, y = rand(*sa), rand(*sb)
            case(op, label, [x, y], fn(x, y).astype(np.float64))
        # scalar on either side
        x = ties(3, 4) if op in ("maximum", "greater", "greater_equal") else rand(3, 4)
        s = 0.5 if op in ("maximum", "greater", "greater_equal") else -1.75
        case(op, "[3, 4] and scalar", [x, s], fn(x, s).astype(np.float64))
        case(op, "scalar and [3, 4]", [s, x], fn(s, x).astype(np.float64))

    # maximum with signed zeros: numpy's sign of a (-0, +0) tie depends on its SIMD kernels,
    # so only the value is checked (the test compares these with ===).
    x = np.array([[-0.0, 0.0, -1.0, 2.0], [0.0, -0.0, 3.0, -0.0]])
    for label, args in [
        ("[2, 4] with -0.0 and scalar 0", [x, 0.0]),
        ("scalar 0 and [2, 4] with -0.0", [0.0, x]),
    ]:
        case("maximum", label + " (value only)", args, np.maximum(*args), signed_zero_ties=True)

    # reductions
    for shape in [(4, 6), (2, 3, 4, 5), (3, 200)]:
        a = rand(*shape)
        t = ties(*shape)
        label = str(list(shape))
        for axis in [None, 0, 1, -1]:
            for keepdims in [False, True]:
                kw = {"keepdims": keepdims}
                if axis is not None:
                    kw["axis"] = axis
                tag = f"{label} axis {axis} keepdims {keepdims}"
                case("sum", tag, [a], np.sum(a, axis=axis, keepdims=keepdims), **kw)
                case("mean", tag, [a], np.mean(a, axis=axis, keepdims=keepdims), **kw)
                case("max", tag, [a], np.max(a, axis=axis, keepdims=keepdims), **kw)
                tied_max = np.max(t, axis=axis, keepdims=keepdims) + 0.0
                case("max", tag + " with ties", [t], tied_max, **kw)
            kw = {} if axis is None else {"axis": axis}
            case("argmax", f"{label} axis {axis} with ties", [t], np.argmax(t, axis=axis), **kw)
            case("argmax", f"{label} axis {axis}", [a], np.argmax(a, axis=axis), **kw)
    all_equal = np.full((3, 4), 2.5)
    case("argmax", "[3, 4] all equal axis 1", [all_equal], np.argmax(all_equal, axis=1), axis=1)
    case("argmax", "[3, 4] all equal axis 0", [all_equal], np.argmax(all_equal, axis=0), axis=0)
    neg = -positive(3, 4)
    case("argmax", "[3, 4] all negative axis 1", [neg], np.argmax(neg, axis=1), axis=1)

    # exp / log
    a = rng.uniform(-30, 30, (4, 6))
    case("exp", "[4, 6] in [-30, 30]", [a], np.exp(a))
    a = rand(2, 3, 2, 2)
    case("exp", "[2, 3, 2, 2] normal", [a], np.exp(a))
    a = np.exp(rng.uniform(-40, 40, (5, 5)))
    case("log", "[5, 5] in [e^-40, e^40]", [a], np.log(a))
    a = positive(3, 7)
    case("log", "[3, 7] in [0.1, 5]", [a], np.log(a))

    # constant zero padding of the last two axes (conv_layer's padding)
    for shape, p in [((2, 3, 4, 5), 1), ((2, 1, 6, 6), 2), ((1, 2, 3, 3), 0), ((3, 4), 2)]:
        a = rand(*shape)
        widths = [(0, 0)] * (len(shape) - 2) + [(p, p), (p, p)]
        case("pad2d", f"{list(shape)} pad {p}", [a, p], np.pad(a, widths, "constant"))

    # where (cond non-zero picks the first operand; -0.0 and 0.0 are false)
    cond = np.array([[0.0, 1.0, -0.0, 2.5], [-1.0, 0.0, 1.0, 1e-300], [0.0, 0.0, 1.0, 1.0]])
    a, b = rand(3, 4), rand(3, 4)
    case("where", "[3, 4] cond, [3, 4], [3, 4]", [cond, a, b], np.where(cond, a, b))
    case("where", "[3, 4] cond, [3, 4], scalar 0", [cond, a, 0.0], np.where(cond, a, 0.0))
    c2 = np.array([[1.0], [0.0], [1.0]])
    a2, b2 = rand(1, 4), rand(3, 4)
    case("where", "[3, 1] cond, [1, 4], [3, 4]", [c2, a2, b2], np.where(c2, a2, b2))

    # take (minibatch rows), negative index included
    a = rand(6, 2, 3)
    idx = [5, 0, 0, 3, -1]
    case("take", "[6, 2, 3] rows [5, 0, 0, 3, -1]", [a, idx], a[idx])

    return {
        **header("numpy results for reference/np.ts operations; see test/np.test.ts"),
        "inputs": inputs,
        "cases": cases,
    }


# ---------------------------------------------------------------------------------------------
# modules.json: HOMEWORK.md's modules written directly in numpy


def linear_forward(X, W, b):
    return X @ W + b


def linear_backward(X, W, grad):
    grad_b = np.sum(grad, axis=0, keepdims=True)
    return {"grad_W": X.T @ grad, "grad_b": grad_b, "grad_X": grad @ W.T}


def relu_forward(X):
    return np.maximum(0, X)


def relu_backward(X, grad):
    return grad * (X > 0)


def softmax_ce_forward(X, Y):
    shifted = X - np.max(X, axis=1, keepdims=True)
    log_prob = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    n = X.shape[0]
    return -np.mean(log_prob[np.arange(n), Y.astype(int).ravel()])


def softmax_ce_backward(X, Y):
    shifted = X - np.max(X, axis=1, keepdims=True)
    e = np.exp(shifted)
    prob = e / np.sum(e, axis=1, keepdims=True)
    n, c = X.shape
    onehot = np.zeros((n, c))
    onehot[np.arange(n), Y.astype(int).ravel()] = 1
    return -(onehot - prob) / n


def max_pool_forward(X, k, s):
    n, c, h, w = X.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = X[:, :, i * s : i * s + k, j * s : j * s + k].max(axis=(2, 3))
    return out


def max_pool_backward(X, grad, k, s):
    """Each window's gradient goes to its first maximum in row-major order."""
    n, c, h, w = X.shape
    oh, ow = grad.shape[2], grad.shape[3]
    dX = np.zeros_like(X)
    for a in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    win = X[a, ch, i * s : i * s + k, j * s : j * s + k]
                    p = int(np.argmax(win))  # first maximum, row-major
                    dX[a, ch, i * s + p // k, j * s + p % k] += grad[a, ch, i, j]
    return dX


def conv_forward(X, W, b, stride):
    """Direct convolution (cross-correlation), zero padding (k - 1) // 2; b is [out, 1]."""
    n, c, h, w = X.shape
    f, _, k, _ = W.shape
    p = (k - 1) // 2
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)), "constant")
    oh, ow = (h + 2 * p - k) // stride + 1, (w + 2 * p - k) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for a in range(n):
        for o in range(f):
            for i in range(oh):
                for j in range(ow):
                    patch = Xp[a, :, i * stride : i * stride + k, j * stride : j * stride + k]
                    out[a, o, i, j] = np.sum(patch * W[o]) + b[o, 0]
    return out


def conv_backward(X, W, grad, stride):
    n, c, h, w = X.shape
    f, _, k, _ = W.shape
    p = (k - 1) // 2
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)), "constant")
    dXp = np.zeros_like(Xp)
    dW = np.zeros_like(W)
    oh, ow = grad.shape[2], grad.shape[3]
    for a in range(n):
        for o in range(f):
            for i in range(oh):
                for j in range(ow):
                    g = grad[a, o, i, j]
                    rows = slice(i * stride, i * stride + k)
                    cols = slice(j * stride, j * stride + k)
                    dW[o] += g * Xp[a, :, rows, cols]
                    dXp[a, :, rows, cols] += g * W[o]
    db = grad.sum(axis=(0, 2, 3)).reshape(f, 1)
    return {"grad_X": dXp[:, :, p : p + h, p : p + w], "grad_W": dW, "grad_b": db}


def with_zeros(r, shape):
    """Normal values with about 30% exact zeros (a draw decides which, then normals fill)."""
    return np.where(r.random_sample(shape) < 0.3, 0.0, r.normal(0, 1, shape))


def modules_fixture():
    out = header("HOMEWORK.md modules computed directly in numpy; see test/numpy-modules.test.ts")
    mrng = np.random.RandomState(31337)

    # linear_layer. The first case is the acceptance case: its W and b are the draws of
    # a linear_layer(3, 2) created right after seed(123) and normal(0, 1, [5, 3]) (= X).
    linear = []
    np.random.seed(123)
    X = np.random.normal(0, 1, (5, 3))
    W = np.random.normal(0, 0.1, (3, 2))
    b = np.random.normal(0, 0.1, (1, 2))
    grad = mrng.normal(0, 1, (5, 2))
    cases = [("seed 123 acceptance: N=5, D=3, M=2", 123, X, W, b, grad)]
    for seed, (n, d, m) in [(1, (4, 6, 3)), (2, (1, 5, 1)), (3, (7, 1, 4)), (4, (10, 20, 10))]:
        np.random.seed(seed)
        X = np.random.normal(0, 1, (n, d))
        W = np.random.normal(0, 0.1, (d, m))
        b = np.random.normal(0, 0.1, (1, m))
        grad = mrng.normal(0, 1, (n, m))
        cases.append((f"seed {seed}: N={n}, D={d}, M={m}", seed, X, W, b, grad))
    for name, seed, X, W, b, grad in cases:
        back = linear_backward(X, W, grad)
        linear.append({
            "name": name,
            # seed(seed); X = normal(0, 1, [N, D]); then linear_layer(D, M) draws W and b
            "seed": seed,
            "X": enc(X), "W": enc(W), "b": enc(b), "grad": enc(grad),
            "forward": enc(linear_forward(X, W, b)),
            "backward": enc(back["grad_X"]),
            "grad_W": enc(back["grad_W"]),
            "grad_b": enc(back["grad_b"]),
        })
    out["linear_layer"] = linear

    # relu, with zeros and -0.0 at the kink
    relu = []
    for name, X in [
        ("[4, 5] with 0 and -0.0", with_zeros(mrng, (4, 5))),
        ("[2, 3, 4, 4] ties", mrng.randint(-2, 3, (2, 3, 4, 4)).astype(np.float64)),
    ]:
        X = X.copy()
        X.ravel()[1] = -0.0
        X.ravel()[2] = 0.0
        grad = mrng.normal(0, 1, X.shape)
        relu.append({"name": name, "X": enc(X), "grad": enc(grad),
                     "forward": enc(relu_forward(X)), "backward": enc(relu_backward(X, grad))})
    out["relu"] = relu

    # dropout: seed(seed) right before forward(X, true), which draws uniform(0, 1, X.shape)
    dropout = []
    for seed, rate, shape in [
        (0, 0.5, (4, 5)),
        (2, 0.95, (4, 5)),
        (123, 0.5, (2, 3, 4, 4)),
        (5, 0.0, (3, 4)),
    ]:
        X = mrng.normal(0, 1, shape)
        grad = mrng.normal(0, 1, shape)
        np.random.seed(seed)
        mask = (np.random.uniform(0, 1, shape) >= rate) / (1 - rate)
        dropout.append({
            "name": f"seed {seed}: r={rate} {list(shape)}", "seed": seed, "rate": rate,
            "X": enc(X), "grad": enc(grad), "mask": enc(mask),
            "forward_train": enc(X * mask), "backward": enc(grad * mask),
            "next_random_sample": float(np.random.random_sample()),
        })
    out["dropout"] = dropout

    # softmax_cross_entropy
    sce = []
    for name, X, Y in [
        ("N=4, C=3", mrng.normal(0, 1, (4, 3)), np.array([[0], [2], [1], [2]])),
        ("N=5, C=10 large logits", mrng.normal(0, 300, (5, 10)), mrng.randint(0, 10, (5, 1))),
        ("N=1, C=2", np.array([[1e-3, -2.0]]), np.array([[1]])),
        ("N=3, C=4 equal logits", np.full((3, 4), 7.0), np.array([[0], [3], [1]])),
    ]:
        sce.append({
            "name": name, "X": enc(X), "Y": enc(Y),
            "forward": float(softmax_ce_forward(X, Y)),
            "backward": enc(softmax_ce_backward(X, Y)),
        })
    out["softmax_cross_entropy"] = sce

    # max_pool (only window/stride combinations that tile the input: the handout's im2col
    # refuses the others, as the original numpy im2col did)
    pools = []
    for name, X, k, s in [
        ("[2, 3, 6, 6] k=2 s=2", mrng.normal(0, 1, (2, 3, 6, 6)), 2, 2),
        ("[2, 2, 4, 4] k=2 s=2 ties", mrng.randint(0, 2, (2, 2, 4, 4)).astype(np.float64), 2, 2),
        ("[1, 1, 4, 4] k=2 s=2 all equal", np.full((1, 1, 4, 4), 3.0), 2, 2),
        ("[2, 1, 7, 7] k=3 s=2 overlapping ties", mrng.randint(0, 3, (2, 1, 7, 7)) + 0.0, 3, 2),
    ]:
        fwd = max_pool_forward(X, k, s)
        grad = mrng.normal(0, 1, fwd.shape)
        pools.append({"name": name, "max_len": k, "stride": s, "X": enc(X), "grad": enc(grad),
                      "forward": enc(fwd), "backward": enc(max_pool_backward(X, grad, k, s))})
    out["max_pool"] = pools

    # conv_layer: seed(seed) right before conv_layer(in, out, k, stride) draws W then b
    convs = []
    for seed, (n, c, h, f, k, stride) in [
        (0, (2, 1, 6, 4, 5, 1)),
        (1, (2, 3, 7, 2, 3, 1)),
        (2, (2, 3, 6, 3, 5, 1)),
        (3, (2, 1, 7, 2, 3, 2)),
    ]:
        np.random.seed(seed)
        W = np.random.normal(0, 0.1, (f, c, k, k))
        b = np.random.normal(0, 0.1, (f, 1))
        X = mrng.normal(0, 1, (n, c, h, h))
        fwd = conv_forward(X, W, b, stride)
        grad = mrng.normal(0, 1, fwd.shape)
        back = conv_backward(X, W, grad, stride)
        convs.append({
            "name": f"seed {seed}: X [{n}, {c}, {h}, {h}], {f} filters k={k} stride={stride}",
            "seed": seed, "num_input": c, "num_output": f, "filter_len": k, "stride": stride,
            "X": enc(X), "W": enc(W), "b": enc(b), "grad": enc(grad), "forward": enc(fwd),
            "backward": enc(back["grad_X"]),
            "grad_W": enc(back["grad_W"]),
            "grad_b": enc(back["grad_b"]),
        })
    out["conv_layer"] = convs

    return out


def main():
    write("random.json", random_fixture())
    write("ops.json", ops_fixture())
    write("modules.json", modules_fixture())


if __name__ == "__main__":
    main()
