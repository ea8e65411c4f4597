// pybind11 bridge: the Python module `bridgemark_pybind11` over the bridgemark C++ API.
//
// Builds `bridgemark.ExtractionResult` in C++ (the class imported once, then cached)
// and raises the classes of `bridgemark.errors` through `error_from_code`, in the one
// exception translator below. The GIL is released while the core extracts and while
// `spin` spins, nowhere else (as in the PyO3 bridge and the C-API floor). Probes are
// bound straight to the C++ API so that a bare call costs pybind11's own dispatch; `echo`
// and `panic` go through str_arg, so that bytes are refused as every bridge refuses them.
// Arguments, defaults and argument errors follow the PyO3 bridge (py_pyo3/src/lib.rs).
#include <pybind11/gil_safe_call_once.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "bridgemark.hpp"

namespace py = pybind11;

namespace {

// `attr` of module `module`, imported on first use and kept for the process.
template <typename Storage>
py::handle cached_attr(Storage &storage, const char *module, const char *attr) {
  return storage
      .call_once_and_store_result([&] { return py::module_::import(module).attr(attr); })
      .get_stored();
}

PYBIND11_CONSTINIT py::gil_safe_call_once_and_store<py::object> result_class_storage;
PYBIND11_CONSTINIT py::gil_safe_call_once_and_store<py::object> error_from_code_storage;

// Checks a new reference from the C API: a null one is the Python error already set.
py::object checked(PyObject *obj) {
  if (obj == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(obj);
}

// UTF-8 bytes (always valid: they come from a Rust String) -> str.
py::object to_str(const char *data, std::size_t size) {
  return checked(PyUnicode_DecodeUTF8(data, static_cast<Py_ssize_t>(size), nullptr));
}
py::object to_str(const rust::String &s) { return to_str(s.data(), s.size()); }

// A new list of `size` empty slots and a new dict, or the MemoryError CPython set:
// pybind11's py::list(size) and py::dict() raise RuntimeError("Could not allocate ...").
py::list new_list(std::size_t size) {
  return py::reinterpret_steal<py::list>(checked(PyList_New(static_cast<Py_ssize_t>(size))).release());
}
py::dict new_dict() { return py::reinterpret_steal<py::dict>(checked(PyDict_New()).release()); }

py::list to_list(const rust::Vec<rust::String> &strings) {
  py::list list = new_list(strings.size());
  for (std::size_t i = 0; i < strings.size(); ++i) {
    PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(i), to_str(strings[i]).release().ptr());
  }
  return list;
}

// `tables` as list[list[list[str]]] (table -> rows -> cells).
py::list to_list(const rust::Vec<bridgemark::Table> &tables) {
  py::list out = new_list(tables.size());
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const auto &rows = tables[t].rows;
    py::list table = new_list(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      PyList_SET_ITEM(table.ptr(), static_cast<Py_ssize_t>(r), to_list(rows[r].cells).release().ptr());
    }
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(t), table.release().ptr());
  }
  return out;
}

// Metadata as a dict holding only the keys that are set, in the PyO3 bridge's order.
py::dict to_dict(const bridgemark::Metadata &m) {
  py::dict meta = new_dict();
  if (m.has_title) meta["title"] = to_str(m.title);
  if (!m.authors.empty()) meta["authors"] = to_list(m.authors);
  if (m.has_created) meta["created"] = to_str(m.created);
  if (m.has_modified) meta["modified"] = to_str(m.modified);
  if (m.page_count >= 0) meta["page_count"] = py::int_(m.page_count);
  if (m.word_count >= 0) meta["word_count"] = py::int_(m.word_count);
  if (!m.comments.empty()) meta["comments"] = to_list(m.comments);
  return meta;
}

// `str | bytes | os.PathLike` -> raw OS path bytes, as os.fsencode: str in the filesystem
// encoding (surrogateescape), bytes unchanged. TypeError (PyOS_FSPath's) for anything else;
// a NUL byte is left to the core, which reports it like every bridge.
py::bytes os_path_bytes(py::handle path) {
  py::object fspath = checked(PyOS_FSPath(path.ptr()));
  if (PyBytes_Check(fspath.ptr())) return py::reinterpret_steal<py::bytes>(fspath.release());
  return py::reinterpret_steal<py::bytes>(checked(PyUnicode_EncodeFSDefault(fspath.ptr())).release());
}

// A `str` argument as UTF-8, borrowed from the str's cache (valid while the caller holds it).
// TypeError for anything else (bytes included, which pybind11's std::string_view caster would
// take), UnicodeEncodeError for a lone surrogate: PyO3's `&str` rules.
std::string_view str_arg(py::handle s) {
  if (!PyUnicode_Check(s.ptr())) {
    throw py::type_error("'" + std::string(Py_TYPE(s.ptr())->tp_name) + "' object is not an instance of 'str'");
  }
  Py_ssize_t size = 0;
  const char *utf8 = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
  if (utf8 == nullptr) throw py::error_already_set();
  return {utf8, static_cast<std::size_t>(size)};
}

// Attribute `name` of a `bridgemark.Config` as u64, with PyO3's errors (int-like via
// __index__; OverflowError when negative or above 2**64 - 1; TypeError otherwise).
std::uint64_t u64_attr(py::handle config, const char *name) {
  py::object index = checked(PyNumber_Index(py::getattr(config, name).ptr()));
  const unsigned long long value = PyLong_AsUnsignedLongLong(index.ptr());
  if (value == static_cast<unsigned long long>(-1) && PyErr_Occurred()) throw py::error_already_set();
  return value;
}

// Attribute `name` of a `bridgemark.Config` as u32, with PyO3's errors (through a C
// long, as PyO3 does: OverflowError "out of range integral type conversion attempted").
std::uint32_t u32_attr(py::handle config, const char *name) {
  py::object value = py::getattr(config, name);
  const long v = PyLong_AsLong(value.ptr());
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (v < 0 || static_cast<unsigned long>(v) > UINT32_MAX) {
    PyErr_SetString(PyExc_OverflowError, "out of range integral type conversion attempted");
    throw py::error_already_set();
  }
  return static_cast<std::uint32_t>(v);
}

// The core's settings from `password: str | None` and `config: bridgemark.Config | None`
// (None = the core's defaults, read without touching Python). Like PyO3's to_config:
// the four limits are read in declaration order, each converted as it is read.
bridgemark::Config to_config(py::handle password, py::handle config) {
  bridgemark::Config out;
  if (!password.is_none()) out.password.emplace(str_arg(password));
  if (!config.is_none()) {
    out.max_decompressed_bytes = u64_attr(config, "max_decompressed_bytes");
    out.max_zip_entries = u64_attr(config, "max_zip_entries");
    out.max_xml_depth = u32_attr(config, "max_xml_depth");
    out.max_pages = u32_attr(config, "max_pages");
  }
  return out;
}

// `work()` with the GIL released. Not py::gil_scoped_release: its destructor takes the GIL
// back, and a daemon thread that does so after the interpreter has finalised is ended by
// CPython with pthread_exit, whose forced unwind through that noexcept destructor calls
// std::terminate (the process aborted at exit). Here a plain call takes the GIL back, and
// the unwind passes through it (pybind11's dispatcher rethrows abi::__forced_unwind).
template <typename F>
auto without_gil(F &&work) -> decltype(work()) {
  using Out = decltype(work());
  PyThreadState *state = PyEval_SaveThread();
  if constexpr (std::is_void_v<Out>) {
    try {
      work();
    } catch (...) {
      PyEval_RestoreThread(state);
      throw;
    }
    PyEval_RestoreThread(state);
  } else {
    std::optional<Out> out;
    try {
      out.emplace(work());
    } catch (...) {
      PyEval_RestoreThread(state);
      throw;
    }
    PyEval_RestoreThread(state);
    return std::move(*out);
  }
}

}  // namespace

namespace pybind11::detail {

// rust::String -> str (returned by `echo`; never accepted as an argument).
template <>
struct type_caster<rust::String> {
  PYBIND11_TYPE_CASTER(rust::String, const_name("str"));
  bool load(handle, bool) { return false; }
  static handle cast(const rust::String &s, return_value_policy, handle) {
    return to_str(s).release();
  }
};

// bridgemark::ExtractionResult -> bridgemark.ExtractionResult (never accepted as an argument).
template <>
struct type_caster<bridgemark::ExtractionResult> {
  PYBIND11_TYPE_CASTER(bridgemark::ExtractionResult, const_name("bridgemark.ExtractionResult"));
  bool load(handle, bool) { return false; }
  static handle cast(const bridgemark::ExtractionResult &r, return_value_policy, handle) {
    py::object content = to_str(r.content);
    py::object mime_type = to_str(r.mime_type);
    py::dict metadata = to_dict(r.metadata);
    py::list tables = to_list(r.tables);
    py::handle cls = cached_attr(result_class_storage, "bridgemark.result", "ExtractionResult");
    return cls(content, mime_type, metadata, tables).release();
  }
};

}  // namespace pybind11::detail

PYBIND11_MODULE(bridgemark_pybind11, m) {
  m.doc() = "bridgemark over pybind11 and the cxx C++ API (bridgemark.hpp).";
  // Docstrings start with the Python signature, as the PyO3 module's do.
  py::options options;
  options.disable_function_signatures();

  // The one place a bridgemark::Error becomes a Python exception.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const bridgemark::Error &e) {
      py::handle factory = cached_attr(error_from_code_storage, "bridgemark.errors", "error_from_code");
      py::object exc = factory(e.code(), to_str(e.message().data(), e.message().size()));
      PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(exc.ptr())), exc.ptr());
    }
  });

  m.def(
      "extract_file",
      [](py::handle path, py::handle password, py::handle config) {
        py::bytes raw = os_path_bytes(path);
        std::string_view bytes = raw;
        const bridgemark::Config settings = to_config(password, config);
        return without_gil([&] { return bridgemark::extract_file(bytes, settings); });
      },
      py::arg("path"), py::arg("password") = py::none(), py::arg("config") = py::none(),
      "extract_file(path: str | bytes | os.PathLike, password: str | None = None, config: Config | None = None) "
      "-> ExtractionResult\n\n"
      "Reads and extracts the document at `path`. Raises the `bridgemark.errors` classes\n"
      "(`FileNotFoundError`, `UnsupportedFormatError`, `CorruptDocumentError`,\n"
      "`PasswordRequiredError`, `LimitExceededError`, ...).");

  m.def(
      "extract_bytes",
      [](const py::bytes &data, py::handle mime_type, py::handle password, py::handle config) {
        std::string_view bytes = data;
        std::optional<std::string_view> mime;
        if (!mime_type.is_none()) mime = str_arg(mime_type);
        const bridgemark::Config settings = to_config(password, config);
        return without_gil([&] { return bridgemark::extract_bytes(bytes, mime, settings); });
      },
      py::arg("data"), py::arg("mime_type") = py::none(), py::arg("password") = py::none(),
      py::arg("config") = py::none(),
      "extract_bytes(data: bytes, mime_type: str | None = None, password: str | None = None, "
      "config: Config | None = None) -> ExtractionResult\n\n"
      "Extracts the document in `data` (format detected from the bytes unless `mime_type` names it).");

  m.def("noop", &bridgemark::noop, "noop() -> None: the bare call.");
  m.def("add", &bridgemark::add, py::arg("a"), py::arg("b"), "add(a: int, b: int) -> int: i64 addition, wrapping.");
  m.def(
      "echo", [](py::handle s) { return bridgemark::echo(str_arg(s)); }, py::arg("s"),
      "echo(s: str) -> str: a copy of `s` made in Rust.");
  m.def("make_result", &bridgemark::make_result, py::arg("n_chars"), py::arg("n_tables"),
        "make_result(n_chars: int, n_tables: int) -> ExtractionResult: conversion without extraction.");
  m.def(
      "spin", [](std::uint64_t ns) { without_gil([ns] { bridgemark::spin(ns); }); }, py::arg("ns"),
        "spin(ns: int) -> None: busy-waits `ns` nanoseconds with the GIL released.");
  m.def("core_clock_ns", &bridgemark::core_clock_ns, py::arg("on").noconvert(),
        "core_clock_ns(on: bool) -> int: ns the core spent in extract_file calls started while its clock was "
        "on, since the previous call; resets the sum and turns the clock on or off.");
  m.def("leak", &bridgemark::leak, py::arg("n_bytes"),
        "leak(n_bytes: int) -> None: leaks `n_bytes` bytes on purpose (leak-detector control).");
  m.def(
      "panic", [](py::handle message) { bridgemark::panic(str_arg(message)); }, py::arg("message"),
        "panic(message: str) -> None: test-only; the core panics, Python sees `InternalError`.");
}
