# cpp_pybind: the pybind11 module bridgemark_pybind11 over the cxx C++ API (included by the root Makefile).
#
# build-rust builds the staticlib target/release/libbridgemark_cxx.a: the Rust glue, the
# cxx-generated C++ (target/cxxbridge/bridgemark-cxx/src/lib.rs.{h,cc}) and the C++ API
# (cpp_pybind/src/bridgemark.cc), all compiled by cpp_pybind/build.rs. Here only the
# module is compiled, with plain g++, and linked against that archive.

.PHONY: build-pybind11

ifndef EXT_SUFFIX
# The venv is made from $(PYTHON), so its interpreter has the same suffix (and needs no venv yet).
EXT_SUFFIX := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
endif

PYBIND11_MODULE := $(BUILD_LIB)/bridgemark_pybind11$(EXT_SUFFIX)
PYBIND11_CXX_LIB := $(CARGO_TARGET)/libbridgemark_cxx.a
PYBIND11_SOURCES := cpp_pybind/python/bridgemark_pybind11.cc cpp_pybind/include/bridgemark.hpp cpp_pybind/build.mk

build-pybind11: $(VENV_STAMP) build-rust $(PYBIND11_MODULE) ## Build the pybind11 module over the cxx C++ API (build/lib/bridgemark_pybind11*.so)

# The archive (and the generated headers beside it) is cargo's to update; re-checked after build-rust.
$(PYBIND11_CXX_LIB): build-rust ;

$(PYBIND11_MODULE): $(PYBIND11_SOURCES) $(PYBIND11_CXX_LIB) | $(VENV_STAMP)
	@mkdir -p $(@D)
	g++ -O2 -DNDEBUG -fvisibility=hidden -std=c++17 -shared -fPIC $$($(PY) -m pybind11 --includes) \
	  -Icpp_pybind/include -I$(CARGO_TARGET)/../cxxbridge \
	  cpp_pybind/python/bridgemark_pybind11.cc $(PYBIND11_CXX_LIB) -lpthread -ldl -lm -o $@
