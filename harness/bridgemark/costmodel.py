"""The cost model of a bridge: overhead = fixed + per byte × bytes + per object × objects.

A bridge's overhead on one call (its time minus direct Rust's time for the same work) is
modelled as ``fixed_ns + per_byte_ns · marshalled_bytes + per_object_ns · marshalled_objects``:

- ``marshalled_bytes`` — UTF-8 bytes of text crossing the bridge, both directions: the
  ``str`` arguments (a path, ``echo``'s payload) plus every ``str`` of the returned value;
- ``marshalled_objects`` — Python objects the bridge builds for the returned value
  (the result itself, every ``str``, ``list``, ``dict`` and ``int`` inside it).

The coefficients are fitted per bridge to the calls suite's probes (``noop``, ``echo:N``
with ASCII payloads, ``make_result:C:T``) by weighted least squares; the model then
predicts each bridge's overhead on every real document from the sizes its extraction
returns, and the report sets the prediction beside the overhead the extraction suite
measured. ``echo`` with non-ASCII payloads gets a per-byte figure of its own per
alphabet (:data:`ALPHABETS`), because CPython builds a ``str`` differently per largest
code point (PEP 393).

:func:`result_size` runs in worker processes (no numpy/scipy); everything else runs in
the parent (numpy/scipy imported inside the functions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

#: The fitted terms, in order: (coefficient name, regressor name in the records, unit of the coefficient).
TERMS: tuple[tuple[str, str | None, str], ...] = (
    ("fixed", None, "ns per call"),
    ("per_byte", "marshalled_bytes", "ns per byte"),
    ("per_object", "marshalled_objects", "ns per object"),
)
#: ``echo`` payload alphabets: name → the character repeated, UTF-8 bytes per character and
#: CPython's storage kind (PEP 393) of a ``str`` made of it.
ALPHABETS: dict[str, tuple[str, int, str]] = {
    "ascii": ("x", 1, "ASCII, 1 byte per character"),
    "latin1": ("é", 2, "U+00E9, 1-byte kind (Latin-1)"),
    "cjk": ("中", 3, "U+4E2D, 2-byte kind (UCS-2)"),
    "emoji": ("😀", 4, "U+1F600, 4-byte kind (UCS-4)"),
}
FIT_METHOD = (
    "weighted least squares (scipy.optimize.curve_fit, σ of each point = its 95% bootstrap CI width / 3.92, "
    "from that point's own worker processes: `noop` in the calls suite's headline_processes, the others in its processes; "
    "covariance scaled by the residual variance); 95% CI = coefficient ± t(0.975, n−p) · SE; points: "
    "overhead (bridge − direct_rust, medians) of `noop`, ASCII `echo:N` and `make_result:C:T`, except those "
    "taking more than 1 minor page fault per call above direct Rust (another regime, reported apart)"
)
PREDICT_METHOD = (
    "predicted overhead = fixed + per_byte · bytes + per_object · objects with the file's sizes "
    "(measured on that bridge's own result), plus, for the bytes of strings of a non-ASCII storage kind "
    "(PEP 393: a str is stored by its largest code point), (per_byte of `echo` in that kind's alphabet − "
    "per_byte of ASCII `echo`) · those bytes, plus what the core itself costs more inside that "
    "bridge's loop than in a tight loop (interleave suite) and what the bridge's result conversion costs more "
    "right after the core than back to back (conversion suite), both on the same bridge and file (nothing where "
    "not measured); 95% CI of the prediction = ± t(0.975, n−p) · √(xᵀ Σ x) "
    "(uncertainty of the fitted mean, Σ = the coefficients' covariance), the kind terms' slope intervals "
    "and the interleave and conversion intervals added in quadrature; measured = the extraction suite's paired overhead with its bootstrap CI; agree = "
    "the two intervals overlap"
)


# --------------------------------------------------------------------------- child side (no numpy)


def payload(n_bytes: int, alphabet: str = "ascii") -> str:
    """The ``echo`` payload of about ``n_bytes`` UTF-8 bytes: :data:`ALPHABETS` ``[alphabet]``'s
    character repeated ``n_bytes // bytes_per_char`` times (so up to 3 bytes short of ``n_bytes``).

    Raises:
        KeyError: unknown alphabet.
    """
    char, width, _ = ALPHABETS[alphabet]
    return char * (n_bytes // width)


def _objects(value: Any) -> Iterator[Any]:
    """Every Python object a bridge builds for ``value``: the value, then recursively the
    ``ExtractionResult``'s fields, a dict's keys and values, a list's items (``None``: nothing).

    Raises:
        TypeError: a value of another type (e.g. a peer's own result class).
    """
    from bridgemark.result import ExtractionResult

    if value is None:
        return
    if isinstance(value, ExtractionResult):
        parts: Iterable[Any] = (value.content, value.mime_type, value.metadata, value.tables)
    elif isinstance(value, dict):
        parts = (x for kv in value.items() for x in kv)
    elif isinstance(value, (list, tuple)):
        parts = value
    elif isinstance(value, (str, bool, int, float)):
        parts = ()
    else:
        raise TypeError(f"result_size: cannot size a {type(value).__name__}")
    yield value
    for part in parts:
        yield from _objects(part)


def _utf8_len(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


def string_kind(s: str) -> str:
    """The :data:`ALPHABETS` name of ``s``'s PEP 393 storage kind, from its largest code point:
    ``ascii`` (< U+0080), ``latin1`` (< U+0100), ``cjk`` (UCS-2, < U+10000) or ``emoji`` (UCS-4)."""
    if s.isascii():
        return "ascii"
    top = ord(max(s))
    return "latin1" if top < 0x100 else "cjk" if top < 0x10000 else "emoji"


def result_size(value: Any) -> tuple[int, int]:
    """``(marshalled_bytes, marshalled_objects)`` of a value a bridge returned.

    Counts, recursively through ``ExtractionResult`` fields, dicts (keys and values) and
    lists: every ``str`` as its UTF-8 length in bytes and one object; every ``list``,
    ``dict``, ``int`` and the ``ExtractionResult`` itself as one object; ``None`` as nothing.

    Example: ``result_size("héllo")`` → ``(6, 1)``; ``result_size(None)`` → ``(0, 0)``.

    Raises:
        TypeError: a value of another type (e.g. a peer's own result class).
    """
    objects = list(_objects(value))
    return sum(_utf8_len(o) for o in objects if isinstance(o, str)), len(objects)


def call_size(args: tuple, result: Any) -> dict[str, Any] | None:
    """Record fields of one call: ``marshalled_bytes`` (UTF-8 bytes of its ``str`` arguments plus
    :func:`result_size` of its result), ``marshalled_objects``, and ``marshalled_bytes_by_kind``
    (the same bytes split by each string's storage kind, :func:`string_kind`; kinds with bytes
    only); ``None`` when the result cannot be sized (a peer's own result type)."""
    try:
        objects = list(_objects(result))
    except TypeError:
        return None
    by_kind: dict[str, int] = {}
    for s in [a for a in args if isinstance(a, str)] + [o for o in objects if isinstance(o, str)]:
        if s:
            kind = string_kind(s)
            by_kind[kind] = by_kind.get(kind, 0) + _utf8_len(s)
    return {"marshalled_bytes": sum(by_kind.values()), "marshalled_objects": len(objects),
            "marshalled_bytes_by_kind": by_kind}


# --------------------------------------------------------------------------- parent side


@dataclass(frozen=True, slots=True)
class Fit:
    """Fitted coefficients of one bridge.

    Attributes:
        names: coefficient names (a prefix of :data:`TERMS`' names), length p.
        coef: the estimates, ns per unit of each regressor, shape ``(p,)``.
        cov: their covariance matrix, shape ``(p, p)`` (``None`` when n ≤ p).
        n: number of points; ``t``: the Student-t quantile t(0.975, n − p) (``None`` when n ≤ p).
    """

    names: tuple[str, ...]
    coef: tuple[float, ...]
    cov: tuple[tuple[float, ...], ...] | None
    n: int
    t: float | None

    def interval(self, i: int) -> tuple[float | None, float | None]:
        """The 95% interval of coefficient ``i``: ``coef ± t · SE`` (``(None, None)`` without covariance)."""
        if self.cov is None or self.t is None:
            return None, None
        half = self.t * max(self.cov[i][i], 0.0) ** 0.5
        return self.coef[i] - half, self.coef[i] + half

    def predict(self, x: Sequence[float]) -> tuple[float, float | None, float | None]:
        """``(value, low, high)``: the model at regressors ``x`` (``x[0]`` = 1 for ``fixed``, same
        order as :attr:`names`) with the 95% interval of the fitted mean, ``± t · √(xᵀ Σ x)``."""
        value = sum(c * v for c, v in zip(self.coef, x))
        if self.cov is None or self.t is None:
            return value, None, None
        var = sum(x[i] * self.cov[i][j] * x[j] for i in range(len(x)) for j in range(len(x)))
        half = self.t * max(var, 0.0) ** 0.5
        return value, value - half, value + half


def fit(x: Sequence[Sequence[float]], y: Sequence[float], sigma: Sequence[float], names: Sequence[str]) -> Fit:
    """Weighted least squares ``y ≈ x · coef`` with the coefficients' 95% intervals.

    Args:
        x: regressors per point, shape ``(n, p)``; column 0 is 1 for an intercept.
        y: observations per point, shape ``(n,)`` (e.g. overhead in ns).
        sigma: relative uncertainty of each point, shape ``(n,)``, > 0 (weights 1/σ²; only
            their ratios matter: the covariance is scaled by the residual variance).
        names: coefficient names, length p.
    Returns:
        :class:`Fit` from ``scipy.optimize.curve_fit(absolute_sigma=False)``; with n ≤ p the
        coefficients solve the system exactly and carry no interval.
    Raises:
        ValueError: shapes disagree, n < p, or a σ is not positive.
    """
    import numpy as np
    from scipy import optimize, stats as sp

    from bridgemark.stats import CONFIDENCE

    a, b, s = np.asarray(x, float), np.asarray(y, float), np.asarray(sigma, float)
    if a.ndim != 2 or a.shape != (b.size, len(names)) or s.shape != b.shape:
        raise ValueError(f"fit: x {a.shape}, y {b.shape}, sigma {s.shape}, {len(names)} names disagree")
    n, p = a.shape
    if n < p or (s <= 0).any():
        raise ValueError(f"fit: need n ≥ p points with σ > 0 (n={n}, p={p})")
    if n == p:
        coef = np.linalg.solve(a, b)
        return Fit(tuple(names), tuple(map(float, coef)), None, n, None)
    coef, cov = optimize.curve_fit(lambda m, *c: m @ np.asarray(c), a, b, p0=np.zeros(p), sigma=s, absolute_sigma=False)
    t = float(sp.t.ppf(0.5 + CONFIDENCE / 2, n - p))
    return Fit(tuple(names), tuple(map(float, coef)), tuple(tuple(map(float, r)) for r in cov), n, t)


def _sigma(rec: dict, name: str) -> float:
    """σ of a record's ``{name}_ns`` from its 95% interval (width / 3.92), at least 1 ns."""
    low, high = rec.get(f"{name}_ci95_low_ns"), rec.get(f"{name}_ci95_high_ns")
    width = 0.0 if low is None or high is None else high - low
    return max(width / 3.92, 1.0)


def is_fit_point(case: str) -> bool:
    """Whether a calls case enters the fit: ``noop``, ASCII ``echo:N`` and ``make_result:C:T``
    (``add`` marshals integers, neither bytes nor built objects: it is reported, not fitted)."""
    kind, *arg = case.split(":")
    return case == "noop" or kind == "make_result" or (kind == "echo" and (len(arg) == 1 or arg[1:] == ["ascii"]))


def echo_alphabet(case: str) -> str | None:
    """The alphabet of an ``echo:N[:alphabet]`` case (``echo:N`` is ASCII), else ``None``."""
    kind, *arg = case.split(":")
    return None if kind != "echo" else (arg[1] if len(arg) == 2 else "ascii")


def _fit_fields(f: Fit) -> dict[str, Any]:
    out: dict[str, Any] = {"n_points": f.n}
    for i, name in enumerate(f.names):
        low, high = f.interval(i)
        out |= {f"{name}_ns": f.coef[i], f"{name}_ci95_low_ns": low, f"{name}_ci95_high_ns": high}
    return out


def _regressors(rec: dict, names: Sequence[str]) -> list[float]:
    columns = {name: column for name, column, _ in TERMS}
    return [1.0 if columns[n] is None else float(rec[columns[n]]) for n in names]


def _sized_overheads(records: Iterable[dict], bridge: str) -> list[dict]:
    return [r for r in records if r["implementation"] == bridge and "overhead_ns" in r and "marshalled_bytes" in r]


#: A probe whose call takes more than this many minor page faults above direct Rust's on the
#: same case is in another regime (glibc hands the bridge's large buffers back to the kernel
#: between calls: every call faults them in again) and stays out of the linear fits.
FAULTS_PER_CALL_LIMIT = 1.0


def _faulting(calls: list[dict], bridge: str) -> dict[str, float]:
    """The bridge's probe cases over :data:`FAULTS_PER_CALL_LIMIT`: case → faults per call above direct Rust."""
    rust = {r["case"]: r.get("minor_faults_per_call", 0.0) for r in calls if r["implementation"] == "direct_rust"}
    extra = {r["case"]: r.get("minor_faults_per_call", 0.0) - rust.get(r["case"], 0.0)
             for r in calls if r["implementation"] == bridge}
    return {case: f for case, f in extra.items() if f > FAULTS_PER_CALL_LIMIT}


def _alphabet_fits(sized: list[dict], names: Sequence[str]) -> dict[str, Fit]:
    """Per :data:`ALPHABETS` name, ``fixed + per_byte`` fitted to one bridge's ``echo`` overheads
    of that alphabet (``echo:0`` shared by all); alphabets with fewer than two sizes are left out."""
    out = {}
    for alphabet in ALPHABETS:
        echo = [r for r in sized if echo_alphabet(r["case"]) == alphabet
                or (r["case"] == "echo:0" and alphabet != "ascii")]
        if len({r["marshalled_bytes"] for r in echo}) >= 2:
            out[alphabet] = fit([_regressors(r, names[:2]) for r in echo], [r["overhead_ns"] for r in echo],
                                [_sigma(r, "overhead") for r in echo], names[:2])
    return out


def _half_width(rec: dict, name: str) -> float:
    """Half the width of a record's ``{name}_ns`` 95% interval (0 without one)."""
    low, high = rec.get(f"{name}_ci95_low_ns"), rec.get(f"{name}_ci95_high_ns")
    return 0.0 if low is None or high is None else (high - low) / 2


def _kind_correction(by_kind: dict[str, int], alphabets: dict[str, Fit]) -> tuple[float, float]:
    """``(ns, 95% half-width)`` to add to a prediction for its non-ASCII strings: Σ over kinds of
    (per_byte[kind] − per_byte[ascii]) · bytes of that kind, both slopes from ``echo`` of the same
    bridge (:func:`_alphabet_fits`); the half-widths of the two slopes add in quadrature. A kind
    without a fit adds nothing."""
    ascii_fit = alphabets.get("ascii")
    ns, var = 0.0, 0.0
    for kind, n_bytes in by_kind.items():
        kind_fit = alphabets.get(kind)
        if kind == "ascii" or kind_fit is None or ascii_fit is None:
            continue
        ns += (kind_fit.coef[1] - ascii_fit.coef[1]) * n_bytes
        halves = [f.interval(1) for f in (kind_fit, ascii_fit)]
        if all(lo is not None and hi is not None for lo, hi in halves):
            var += sum(((hi - lo) / 2) ** 2 for lo, hi in halves) * n_bytes**2
    return ns, var**0.5


#: Terms measured on the documents themselves and added to a bridge's prediction: what the core
#: and the bridge's conversion cost more when they alternate than each does looped on its own (the
#: probes loop the conversion and do no core work); the suites whose records carry them as ``{suite}_ns``.
MEASURED_TERMS: tuple[str, ...] = ("interleave", "conversion")


def build(calls: list[dict], extraction: list[dict], bridges: Sequence[str],
          interleave: Sequence[dict] = (), conversion: Sequence[dict] = ()) -> dict[str, Any]:
    """The ``cost_model`` object of compare.json from the calls and extraction records.

    Args:
        calls: calls-suite records; those of bridges carry ``overhead_ns`` (+ ci95) against
            direct Rust and ``marshalled_bytes``/``marshalled_objects``.
        extraction: extraction-suite records, same fields per file.
        bridges: the bridges to model (e.g. :data:`bridgemark.BRIDGES`).
        interleave: interleave-suite records (``interleave_ns`` + ci95 per bridge and file): what
            the core itself costs more per call inside that bridge's loop than in a tight
            loop, added to that bridge's prediction for that file (no probe sees it).
        conversion: conversion-suite records (``conversion_ns`` + ci95 per bridge and file): what
            the bridge's result conversion costs more right after the core than back to back,
            added likewise.
    Returns:
        ``{"method", "predict_method", "terms", "fits": {bridge: {n_points, fixed_ns, per_byte_ns,
        per_object_ns (+ ci95), "points": [case…], "faulting_points": {case: faults per call above
        direct Rust} (left out of this and the alphabet fits)}}, "echo_per_byte": {bridge: {alphabet:
        {per_byte_ns (+ ci95), fixed_ns (+ ci95), n_points}}}, "predictions": [{implementation,
        case, marshalled_bytes, marshalled_objects, non_ascii_correction_ns, interleave_ns, conversion_ns
        (``None`` where not measured), predicted_ns (+ ci95), measured_ns (+ ci95), agree}]}``; a bridge with too few points is left out of ``fits``.
    """
    names = [n for n, _, _ in TERMS]
    measured = {name: {(r["implementation"], r["case"]): r for r in records if r.get(f"{name}_ns") is not None}
                for name, records in zip(MEASURED_TERMS, (interleave, conversion), strict=True)}
    fits: dict[str, Any] = {}
    per_alphabet: dict[str, Any] = {}
    predictions: list[dict] = []
    for bridge in bridges:
        faulting = _faulting(calls, bridge)
        sized = [r for r in _sized_overheads(calls, bridge) if r["case"] not in faulting]
        points = [r for r in sized if is_fit_point(r["case"])]
        alphabets = _alphabet_fits(sized, names)
        if alphabets:
            per_alphabet[bridge] = {a: _fit_fields(af) for a, af in alphabets.items()}
        if len(points) >= len(names):
            f = fit([_regressors(r, names) for r in points], [r["overhead_ns"] for r in points],
                    [_sigma(r, "overhead") for r in points], names)
            fits[bridge] = _fit_fields(f) | {"points": [r["case"] for r in points], "faulting_points": faulting}
            for r in _sized_overheads(extraction, bridge):
                value, low, high = f.predict(_regressors(r, names))
                kind_ns, kind_half = _kind_correction(r.get("marshalled_bytes_by_kind", {}), alphabets)
                terms = {name: recs.get((bridge, r["case"])) for name, recs in measured.items()}
                value += kind_ns + sum(t[f"{name}_ns"] for name, t in terms.items() if t)
                if low is not None and high is not None:
                    half = ((high - low) ** 2 / 4 + kind_half**2
                            + sum(_half_width(t, name) ** 2 for name, t in terms.items() if t)) ** 0.5
                    low, high = value - half, value + half
                agree = None if low is None or r.get("overhead_ci95_low_ns") is None else (
                    low <= r["overhead_ci95_high_ns"] and r["overhead_ci95_low_ns"] <= high)
                predictions.append({
                    "implementation": bridge, "case": r["case"],
                    "marshalled_bytes": r["marshalled_bytes"], "marshalled_objects": r["marshalled_objects"],
                    "non_ascii_correction_ns": kind_ns,
                    **{f"{name}_ns": t[f"{name}_ns"] if t else None for name, t in terms.items()},
                    "predicted_ns": value, "predicted_ci95_low_ns": low, "predicted_ci95_high_ns": high,
                    "measured_ns": r["overhead_ns"], "measured_ci95_low_ns": r.get("overhead_ci95_low_ns"),
                    "measured_ci95_high_ns": r.get("overhead_ci95_high_ns"), "agree": agree})
    return {"method": FIT_METHOD, "predict_method": PREDICT_METHOD,
            "terms": {name: unit for name, _, unit in TERMS},
            "alphabets": {name: {"character": c, "utf8_bytes_per_char": w, "kind": k} for name, (c, w, k) in ALPHABETS.items()},
            "fits": fits, "echo_per_byte": per_alphabet, "predictions": predictions}
