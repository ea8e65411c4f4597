/*
 * bridgemark_capi — the floor: a minimal hand-written CPython extension over the
 * C ABI of include/bridgemark.h (libbridgemark.a linked in statically).
 *
 * What no bridge can beat: METH_NOARGS / METH_O / METH_FASTCALL entry points, the
 * result built in C (bridgemark.result.ExtractionResult called once, dict keys
 * interned once), errors through bridgemark.errors.error_from_code in set_error()
 * only. The GIL is released around bm_extract_* and bm_spin only, as PyO3 and
 * pybind11 do. Paths go through os.fspath + the filesystem encoding (os.fsencode's
 * rules: a NUL byte reaches the core, which reports it like every other bridge).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "bridgemark.h"

/* Imported once at module init and kept for the life of the process. */
static PyObject *result_class;    /* bridgemark.result.ExtractionResult */
static PyObject *error_from_code; /* bridgemark.errors.error_from_code */
static PyObject *key_title, *key_authors, *key_created, *key_modified, *key_page_count;

/* A present bm_str as a new str (the library guarantees UTF-8). */
static inline PyObject *to_str(bm_str s) {
    return PyUnicode_DecodeUTF8(s.ptr, (Py_ssize_t)s.len, NULL);
}

/* Raises the exception for a failed call; reads this thread's last error at once. */
static PyObject *set_error(bm_status status) {
    bm_str message = bm_last_error();
    PyObject *args[2] = {PyLong_FromUnsignedLong(status), to_str(message)};
    if (args[0] && args[1]) {
        PyObject *exc = PyObject_Vectorcall(error_from_code, args, 2, NULL);
        if (exc) {
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            Py_DECREF(exc);
        }
    }
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    return NULL;
}

/* A new list of `n` strs. */
static PyObject *to_str_list(const bm_str *items, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *s = to_str(items[i]);
        if (!s) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    return list;
}

/* Sets metadata[key] = value (stealing value); -1 on error. */
static int set_item(PyObject *dict, PyObject *key, PyObject *value) {
    if (!value) return -1;
    int rc = PyDict_SetItem(dict, key, value);
    Py_DECREF(value);
    return rc;
}

/* The metadata dict: only the keys that are set (same order as every bridge). */
static PyObject *to_metadata(const bm_metadata *m) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if ((m->title.ptr && set_item(d, key_title, to_str(m->title)) < 0) ||
        (m->n_authors && set_item(d, key_authors, to_str_list(m->authors, m->n_authors)) < 0) ||
        (m->created.ptr && set_item(d, key_created, to_str(m->created)) < 0) ||
        (m->modified.ptr && set_item(d, key_modified, to_str(m->modified)) < 0) ||
        (m->page_count >= 0 && set_item(d, key_page_count, PyLong_FromLongLong(m->page_count)) < 0)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* tables: list[list[list[str]]] */
static PyObject *to_tables(const bm_table *tables, size_t n_tables) {
    PyObject *out = PyList_New((Py_ssize_t)n_tables);
    for (size_t t = 0; out && t < n_tables; t++) {
        PyObject *rows = PyList_New((Py_ssize_t)tables[t].n_rows);
        for (size_t r = 0; rows && r < tables[t].n_rows; r++) {
            PyObject *cells = to_str_list(tables[t].rows[r].cells, tables[t].rows[r].n_cells);
            if (!cells) {
                Py_CLEAR(rows);
                break;
            }
            PyList_SET_ITEM(rows, (Py_ssize_t)r, cells);
        }
        if (!rows) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, (Py_ssize_t)t, rows);
    }
    return out;
}

/* Builds bridgemark.ExtractionResult from `r`, then frees `r` (always). */
static PyObject *to_python_and_free(bm_result *r) {
    PyObject *out = NULL;
    PyObject *args[4] = {to_str(r->content), to_str(r->mime_type), to_metadata(&r->metadata),
                         to_tables(r->tables, r->n_tables)};
    bm_result_free(r);
    if (args[0] && args[1] && args[2] && args[3]) out = PyObject_Vectorcall(result_class, args, 4, NULL);
    for (int i = 0; i < 4; i++) Py_XDECREF(args[i]);
    return out;
}

/* extract_file(path: str | os.PathLike) -> ExtractionResult */
static PyObject *extract_file(PyObject *self, PyObject *arg) {
    PyObject *fspath = PyOS_FSPath(arg);
    if (!fspath) return NULL;
    PyObject *raw = PyUnicode_Check(fspath) ? PyUnicode_EncodeFSDefault(fspath) : Py_NewRef(fspath);
    Py_DECREF(fspath);
    if (!raw) return NULL;
    bm_result *result = NULL;
    bm_status status;
    Py_BEGIN_ALLOW_THREADS
    status = bm_extract_file((const uint8_t *)PyBytes_AS_STRING(raw), (size_t)PyBytes_GET_SIZE(raw), &result);
    Py_END_ALLOW_THREADS
    Py_DECREF(raw);
    return status == BM_OK ? to_python_and_free(result) : set_error(status);
}

/* extract_bytes(data: bytes, mime_type: str | None = None) -> ExtractionResult */
static PyObject *extract_bytes(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    static const char *const names[2] = {"data", "mime_type"};
    PyObject *slots[2] = {NULL, Py_None};
    if (nargs > 2) return PyErr_Format(PyExc_TypeError, "extract_bytes() takes at most 2 arguments (%zd given)", nargs);
    for (Py_ssize_t i = 0; i < nargs; i++) slots[i] = args[i];
    Py_ssize_t n_kw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < n_kw; k++) {
        const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
        int slot = !name ? -1 : strcmp(name, names[0]) == 0 ? 0 : strcmp(name, names[1]) == 0 ? 1 : -1;
        if (slot < 0 || slot < nargs)
            return PyErr_Format(PyExc_TypeError, "extract_bytes() got an unexpected or repeated argument %R",
                                PyTuple_GET_ITEM(kwnames, k));
        slots[slot] = args[nargs + k];
    }
    if (!slots[0] || !PyBytes_Check(slots[0]))
        return PyErr_Format(PyExc_TypeError, "extract_bytes() argument 'data' must be bytes");
    const char *mime = NULL;
    Py_ssize_t mime_len = 0;
    if (slots[1] != Py_None) {
        if (!PyUnicode_Check(slots[1]))
            return PyErr_Format(PyExc_TypeError, "extract_bytes() argument 'mime_type' must be str or None");
        if (!(mime = PyUnicode_AsUTF8AndSize(slots[1], &mime_len))) return NULL;
    }
    /* The bytes object and the str's UTF-8 cache stay alive: the caller holds references. */
    const uint8_t *data = (const uint8_t *)PyBytes_AS_STRING(slots[0]);
    size_t len = (size_t)PyBytes_GET_SIZE(slots[0]);
    bm_result *result = NULL;
    bm_status status;
    Py_BEGIN_ALLOW_THREADS
    status = bm_extract_bytes(data, len, mime, (size_t)mime_len, &result);
    Py_END_ALLOW_THREADS
    return status == BM_OK ? to_python_and_free(result) : set_error(status);
}

/* noop() -> None */
static PyObject *noop(PyObject *self, PyObject *unused) {
    bm_noop();
    Py_RETURN_NONE;
}

static int expect_args(const char *name, Py_ssize_t nargs, Py_ssize_t expected) {
    if (nargs == expected) return 0;
    PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd arguments (%zd given)", name, expected, nargs);
    return -1;
}

/* add(a: int, b: int) -> int (i64, wrapping) */
static PyObject *add(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (expect_args("add", nargs, 2) < 0) return NULL;
    long long a = PyLong_AsLongLong(args[0]);
    if (a == -1 && PyErr_Occurred()) return NULL;
    long long b = PyLong_AsLongLong(args[1]);
    if (b == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLongLong(bm_add(a, b));
}

/* echo(s: str) -> str */
static PyObject *echo(PyObject *self, PyObject *arg) {
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &len);
    if (!s) return NULL;
    bm_buf buf;
    bm_status status = bm_echo(s, (size_t)len, &buf);
    if (status != BM_OK) return set_error(status);
    PyObject *out = PyUnicode_DecodeUTF8(buf.ptr, (Py_ssize_t)buf.len, NULL);
    bm_buf_free(&buf);
    return out;
}

/* make_result(n_chars: int, n_tables: int) -> ExtractionResult */
static PyObject *make_result(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (expect_args("make_result", nargs, 2) < 0) return NULL;
    size_t n_chars = PyLong_AsSize_t(args[0]);
    if (n_chars == (size_t)-1 && PyErr_Occurred()) return NULL;
    size_t n_tables = PyLong_AsSize_t(args[1]);
    if (n_tables == (size_t)-1 && PyErr_Occurred()) return NULL;
    bm_result *result = NULL;
    bm_status status = bm_make_result(n_chars, n_tables, &result);
    return status == BM_OK ? to_python_and_free(result) : set_error(status);
}

/* spin(ns: int) -> None, GIL released */
static PyObject *spin(PyObject *self, PyObject *arg) {
    unsigned long long ns = PyLong_AsUnsignedLongLong(arg);
    if (ns == (unsigned long long)-1 && PyErr_Occurred()) return NULL;
    Py_BEGIN_ALLOW_THREADS
    bm_spin(ns);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* leak(n_bytes: int) -> None */
static PyObject *leak(PyObject *self, PyObject *arg) {
    size_t n = PyLong_AsSize_t(arg);
    if (n == (size_t)-1 && PyErr_Occurred()) return NULL;
    bm_leak(n);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"extract_file", extract_file, METH_O, "extract_file(path: str | os.PathLike) -> ExtractionResult"},
    {"extract_bytes", (PyCFunction)(void (*)(void))extract_bytes, METH_FASTCALL | METH_KEYWORDS,
     "extract_bytes(data: bytes, mime_type: str | None = None) -> ExtractionResult"},
    {"noop", noop, METH_NOARGS, "noop() -> None: the bare call."},
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, "add(a: int, b: int) -> int: i64 addition, wrapping."},
    {"echo", echo, METH_O, "echo(s: str) -> str: a copy of s made in Rust."},
    {"make_result", (PyCFunction)(void (*)(void))make_result, METH_FASTCALL,
     "make_result(n_chars: int, n_tables: int) -> ExtractionResult: conversion without extraction."},
    {"spin", spin, METH_O, "spin(ns: int) -> None: busy-waits ns nanoseconds with the GIL released."},
    {"leak", leak, METH_O, "leak(n_bytes: int) -> None: leaks n_bytes bytes on purpose."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "bridgemark_capi",
    "The C-API floor: a hand-written CPython extension over the bridgemark C ABI.", -1, methods,
};

/* Imports `attr` from module `name` (new reference). */
static PyObject *import_attr(const char *name, const char *attr) {
    PyObject *mod = PyImport_ImportModule(name);
    if (!mod) return NULL;
    PyObject *value = PyObject_GetAttrString(mod, attr);
    Py_DECREF(mod);
    return value;
}

PyMODINIT_FUNC PyInit_bridgemark_capi(void) {
    if (!result_class && !(result_class = import_attr("bridgemark.result", "ExtractionResult"))) return NULL;
    if (!error_from_code && !(error_from_code = import_attr("bridgemark.errors", "error_from_code"))) return NULL;
    if (!key_page_count && !((key_title = PyUnicode_InternFromString("title")) &&
                        (key_authors = PyUnicode_InternFromString("authors")) &&
                        (key_created = PyUnicode_InternFromString("created")) &&
                        (key_modified = PyUnicode_InternFromString("modified")) &&
                        (key_page_count = PyUnicode_InternFromString("page_count"))))
        return NULL;
    return PyModule_Create(&module);
}
