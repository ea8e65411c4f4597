//! Generates the C++ side of the `cxx::bridge` in `src/lib.rs` and compiles it, with
//! the C++ API (`src/bridgemark.cc`, header `include/bridgemark.hpp`), into this
//! crate's staticlib. Generated headers land in `target/cxxbridge/`:
//! `bridgemark-cxx/src/lib.rs.h` (the bridge) and `rust/cxx.h` (cxx's runtime types).

fn main() {
    cxx_build::bridge("src/lib.rs")
        .file("src/bridgemark.cc")
        .include("include")
        .std("c++17")
        .compile("bridgemark_cxx_api");
    for path in ["src/lib.rs", "src/bridgemark.cc", "include/bridgemark.hpp"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
