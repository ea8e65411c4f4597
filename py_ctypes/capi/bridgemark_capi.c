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
 * Arguments are parsed and converted as PyO3 does (same names, defaults, exception
 * classes and messages); password/config become a bm_config only when one is given,
 * else the core gets NULL (its defaults).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "bridgemark.h"

/* Imported once at module init and kept for the life of the process. */
static PyObject *result_class;    /* bridgemark.result.ExtractionResult */
static PyObject *error_from_code; /* bridgemark.errors.error_from_code */
static PyObject *key_title, *key_authors, *key_created, *key_modified, *key_page_count, *key_word_count,
    *key_comments;

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
        (m->page_count >= 0 && set_item(d, key_page_count, PyLong_FromLongLong(m->page_count)) < 0) ||
        (m->word_count >= 0 && set_item(d, key_word_count, PyLong_FromLongLong(m->word_count)) < 0) ||
        (m->n_comments && set_item(d, key_comments, to_str_list(m->comments, m->n_comments)) < 0)) {
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

/*
 * Fills slots[0..n_names) from a METH_FASTCALL | METH_KEYWORDS call: the first
 * n_required are required, the others default to None. -1 with PyO3's TypeError
 * messages on a bad call. The slots are borrowed from the caller's arguments.
 */
static int parse_args(const char *fname, const char *const *names, Py_ssize_t n_names, Py_ssize_t n_required,
                      PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **slots) {
    if (nargs > n_names) {
        PyErr_Format(PyExc_TypeError, "%s() takes from %zd to %zd positional arguments but %zd were given", fname,
                     n_required, n_names, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n_names; i++) slots[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t n_kw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < n_kw; k++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t i = 0;
        while (i < n_names && PyUnicode_CompareWithASCIIString(key, names[i]) != 0) i++;
        if (i == n_names) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
            return -1;
        }
        if (slots[i]) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fname, names[i]);
            return -1;
        }
        slots[i] = args[nargs + k];
    }
    for (Py_ssize_t i = 0; i < n_names; i++) {
        if (slots[i]) continue;
        if (i < n_required) {
            PyErr_Format(PyExc_TypeError, "%s() missing 1 required positional argument: '%s'", fname, names[i]);
            return -1;
        }
        slots[i] = Py_None;
    }
    return 0;
}

/* The UTF-8 of a str (borrowed from its cache, alive as long as `s`); NULL with TypeError otherwise. */
static const char *utf8(PyObject *s, Py_ssize_t *len) {
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not an instance of 'str'", Py_TYPE(s)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8AndSize(s, len);
}

/* config.<name> as a u64, with PyO3's TypeError / OverflowError. */
static int u64_attr(PyObject *config, const char *name, uint64_t *out) {
    PyObject *value = PyObject_GetAttrString(config, name);
    PyObject *n = value ? PyNumber_Index(value) : NULL;
    Py_XDECREF(value);
    if (!n) return -1;
    unsigned long long v = PyLong_AsUnsignedLongLong(n);
    Py_DECREF(n);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) return -1;
    *out = v;
    return 0;
}

/* config.<name> as a u32, with PyO3's TypeError / OverflowError (it goes through a C long). */
static int u32_attr(PyObject *config, const char *name, uint32_t *out) {
    PyObject *value = PyObject_GetAttrString(config, name);
    PyObject *n = value ? PyNumber_Index(value) : NULL;
    Py_XDECREF(value);
    if (!n) return -1;
    long v = PyLong_AsLong(n);
    Py_DECREF(n);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < 0 || (unsigned long)v > UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "out of range integral type conversion attempted");
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/*
 * The bm_config for `password` (str or None) and `config` (a bridgemark.Config or
 * None: the core's limits), in the order PyO3 converts them. The password points
 * into the str's UTF-8 cache: valid while the caller holds `password`. -1 on error.
 */
static int to_config(PyObject *password, PyObject *config, bm_config *out) {
    *out = bm_config_default();
    if (password != Py_None) {
        Py_ssize_t len;
        const char *pw = utf8(password, &len);
        if (!pw) return -1;
        out->password = (bm_str){pw, (size_t)len};
    }
    if (config == Py_None) return 0;
    if (u64_attr(config, "max_decompressed_bytes", &out->max_decompressed_bytes) < 0 ||
        u64_attr(config, "max_zip_entries", &out->max_zip_entries) < 0 ||
        u32_attr(config, "max_xml_depth", &out->max_xml_depth) < 0 ||
        u32_attr(config, "max_pages", &out->max_pages) < 0)
        return -1;
    return 0;
}

/* extract_file(path: str | bytes | os.PathLike, password: str | None = None, config: Config | None = None)
 *     -> ExtractionResult */
static PyObject *extract_file(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    static const char *const names[3] = {"path", "password", "config"};
    PyObject *slots[3];
    if (parse_args("extract_file", names, 3, 1, args, nargs, kwnames, slots) < 0) return NULL;
    PyObject *fspath = PyOS_FSPath(slots[0]);
    if (!fspath) return NULL;
    PyObject *raw = PyUnicode_Check(fspath) ? PyUnicode_EncodeFSDefault(fspath) : Py_NewRef(fspath);
    Py_DECREF(fspath);
    if (!raw) return NULL;
    bm_config settings, *config = NULL;
    if (slots[1] != Py_None || slots[2] != Py_None) {
        if (to_config(slots[1], slots[2], &settings) < 0) {
            Py_DECREF(raw);
            return NULL;
        }
        config = &settings;
    }
    bm_result *result = NULL;
    bm_status status;
    Py_BEGIN_ALLOW_THREADS
    status = bm_extract_file((const uint8_t *)PyBytes_AS_STRING(raw), (size_t)PyBytes_GET_SIZE(raw), config, &result);
    Py_END_ALLOW_THREADS
    Py_DECREF(raw);
    return status == BM_OK ? to_python_and_free(result) : set_error(status);
}

/* extract_bytes(data: bytes, mime_type: str | None = None, password: str | None = None,
 *               config: Config | None = None) -> ExtractionResult */
static PyObject *extract_bytes(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    static const char *const names[4] = {"data", "mime_type", "password", "config"};
    PyObject *slots[4];
    if (parse_args("extract_bytes", names, 4, 1, args, nargs, kwnames, slots) < 0) return NULL;
    if (!PyBytes_Check(slots[0]))
        return PyErr_Format(PyExc_TypeError, "extract_bytes() argument 'data' must be bytes");
    const char *mime = NULL;
    Py_ssize_t mime_len = 0;
    if (slots[1] != Py_None && !(mime = utf8(slots[1], &mime_len))) return NULL;
    bm_config settings, *config = NULL;
    if (slots[2] != Py_None || slots[3] != Py_None) {
        if (to_config(slots[2], slots[3], &settings) < 0) return NULL;
        config = &settings;
    }
    /* The bytes object and the strs' UTF-8 caches stay alive: the caller holds references. */
    const uint8_t *data = (const uint8_t *)PyBytes_AS_STRING(slots[0]);
    size_t len = (size_t)PyBytes_GET_SIZE(slots[0]);
    bm_result *result = NULL;
    bm_status status;
    Py_BEGIN_ALLOW_THREADS
    status = bm_extract_bytes(data, len, mime, (size_t)mime_len, config, &result);
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

/* echo(s: str) -> str; TypeError unless s is a str */
static PyObject *echo(PyObject *self, PyObject *arg) {
    Py_ssize_t len;
    const char *s = utf8(arg, &len);
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

/* core_clock_ns(on: bool) -> int: the core clock of libbridgemark (bm_core_clock_ns) */
static PyObject *core_clock_ns(PyObject *self, PyObject *arg) {
    if (!PyBool_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not an instance of 'bool'", Py_TYPE(arg)->tp_name);
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(bm_core_clock_ns(arg == Py_True));
}

/* leak(n_bytes: int) -> None; InternalError when n_bytes cannot be allocated */
static PyObject *leak(PyObject *self, PyObject *arg) {
    size_t n = PyLong_AsSize_t(arg);
    if (n == (size_t)-1 && PyErr_Occurred()) return NULL;
    bm_status status = bm_leak(n);
    if (status != BM_OK) return set_error(status);
    Py_RETURN_NONE;
}

/* panic(message: str) -> None: always raises InternalError (test-only) */
static PyObject *panic(PyObject *self, PyObject *arg) {
    Py_ssize_t len;
    const char *message = utf8(arg, &len);
    if (!message) return NULL;
    bm_status status = bm_panic(message, (size_t)len);
    if (status != BM_OK) return set_error(status);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"extract_file", (PyCFunction)(void (*)(void))extract_file, METH_FASTCALL | METH_KEYWORDS,
     "extract_file(path: str | bytes | os.PathLike, password: str | None = None, config: Config | None = None) "
     "-> ExtractionResult"},
    {"extract_bytes", (PyCFunction)(void (*)(void))extract_bytes, METH_FASTCALL | METH_KEYWORDS,
     "extract_bytes(data: bytes, mime_type: str | None = None, password: str | None = None, "
     "config: Config | None = None) -> ExtractionResult"},
    {"noop", noop, METH_NOARGS, "noop() -> None: the bare call."},
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, "add(a: int, b: int) -> int: i64 addition, wrapping."},
    {"echo", echo, METH_O, "echo(s: str) -> str: a copy of s made in Rust."},
    {"make_result", (PyCFunction)(void (*)(void))make_result, METH_FASTCALL,
     "make_result(n_chars: int, n_tables: int) -> ExtractionResult: conversion without extraction."},
    {"spin", spin, METH_O, "spin(ns: int) -> None: busy-waits ns nanoseconds with the GIL released."},
    {"core_clock_ns", core_clock_ns, METH_O,
     "core_clock_ns(on: bool) -> int: ns the core spent in extract_file calls started while its clock was on, "
     "since the previous call; resets the sum and turns the clock on or off."},
    {"leak", leak, METH_O, "leak(n_bytes: int) -> None: leaks n_bytes bytes on purpose."},
    {"panic", panic, METH_O, "panic(message: str) -> None: test-only; the core panics, Python sees InternalError."},
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
    if (!key_comments && !((key_title = PyUnicode_InternFromString("title")) &&
                           (key_authors = PyUnicode_InternFromString("authors")) &&
                           (key_created = PyUnicode_InternFromString("created")) &&
                           (key_modified = PyUnicode_InternFromString("modified")) &&
                           (key_page_count = PyUnicode_InternFromString("page_count")) &&
                           (key_word_count = PyUnicode_InternFromString("word_count")) &&
                           (key_comments = PyUnicode_InternFromString("comments"))))
        return NULL;
    return PyModule_Create(&module);
}
