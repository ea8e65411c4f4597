# py_ctypes: the C ABI (libbridgemark.so / .a from cargo), the cffi API-mode module and
# the C-API floor, all into $(BUILD_LIB). Included by the root Makefile.
# File targets: a second `make build-capi` only re-runs cargo (itself incremental).

CAPI_PYTHON := $(if $(wildcard $(PY)),$(PY),$(PYTHON))
CAPI_EXT_SUFFIX := $(shell $(CAPI_PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
CAPI_PY_INCLUDE := $(shell $(CAPI_PYTHON) -c 'import sysconfig; print(sysconfig.get_path("include"))')
CAPI_HEADER := py_ctypes/include/bridgemark.h
CAPI_STATIC := $(CARGO_TARGET)/libbridgemark.a
CAPI_SHARED := $(CARGO_TARGET)/libbridgemark.so
CAPI_OUTPUTS := $(BUILD_LIB)/libbridgemark.so $(BUILD_LIB)/bridgemark_capi$(CAPI_EXT_SUFFIX) \
  $(BUILD_LIB)/_bridgemark_cffi_api$(CAPI_EXT_SUFFIX)

.PHONY: build-capi
build-capi: $(VENV_STAMP) build-rust ## Build the C ABI library, the cffi API-mode module and the C-API floor into build/lib
	@$(MAKE) $(CAPI_OUTPUTS)

# cargo (run by build-rust just before) decides whether these changed; make only reads their mtimes.
$(CAPI_STATIC) $(CAPI_SHARED) $(CAPI_HEADER): ;

$(BUILD_LIB)/libbridgemark.so: $(CAPI_SHARED)
	mkdir -p $(@D)
	cp $< $@

$(BUILD_LIB)/bridgemark_capi$(CAPI_EXT_SUFFIX): py_ctypes/capi/bridgemark_capi.c $(CAPI_HEADER) $(CAPI_STATIC)
	mkdir -p $(@D)
	cc -O2 -shared -fPIC -Wall -I py_ctypes/include -I $(CAPI_PY_INCLUDE) $< $(CAPI_STATIC) \
	  -Wl,--exclude-libs,ALL -lpthread -ldl -lm -o $@

$(BUILD_LIB)/_bridgemark_cffi_api$(CAPI_EXT_SUFFIX): py_ctypes/python/build_cffi_api.py \
  py_ctypes/python/_bridgemark_cffi.py $(CAPI_HEADER) $(CAPI_STATIC) | $(VENV_STAMP)
	$(PY) py_ctypes/python/build_cffi_api.py $(BUILD_LIB) $(CAPI_STATIC)
