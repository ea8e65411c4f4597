//! Whole-ABI tests: the committed header is cbindgen's output; every export frees
//! what it hands out, leaves out-parameters alone on error and uses the core's codes;
//! `bm_config` reaches the core (NULL = defaults, password, limits); panics are statuses.

use std::ptr;

use bridgemark_core::{Config, ErrorKind, probe};

use crate::result::tests::read_back;
use crate::*;

const COMMITTED_HEADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include/bridgemark.h");
const GENERATED_HEADER: &str = include_str!(concat!(env!("OUT_DIR"), "/bridgemark.h"));

#[test]
fn header_is_up_to_date() {
    if std::env::var_os("BRIDGEMARK_BLESS").is_some() {
        std::fs::write(COMMITTED_HEADER, GENERATED_HEADER).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED_HEADER).unwrap_or_default();
    assert!(
        committed == GENERATED_HEADER,
        "{COMMITTED_HEADER} differs from cbindgen's output ({}/bridgemark.h).\n\
         Refresh it with: BRIDGEMARK_BLESS=1 cargo test -p bridgemark-capi header_is_up_to_date",
        env!("OUT_DIR"),
    );
}

/// A sentinel the tests put in out-parameters to see that errors leave them alone.
fn sentinel() -> *mut bm_result {
    ptr::dangling_mut()
}

fn last_error() -> String {
    bm_last_error().as_str().unwrap().to_owned()
}

/// `config` as the C argument: `None` is NULL.
fn c_config(config: Option<&bm_config>) -> *const bm_config {
    config.map_or(ptr::null(), ptr::from_ref)
}

fn extract_file_with(path: &[u8], config: Option<&bm_config>) -> (bm_status, *mut bm_result) {
    let mut out = sentinel();
    let status = unsafe { bm_extract_file(path.as_ptr(), path.len(), c_config(config), &mut out) };
    (status, out)
}

fn extract_file(path: &[u8]) -> (bm_status, *mut bm_result) {
    extract_file_with(path, None)
}

fn extract_bytes_with(
    data: &[u8],
    mime: Option<&str>,
    config: Option<&bm_config>,
) -> (bm_status, *mut bm_result) {
    let mut out = sentinel();
    let (m, m_len) = mime.map_or((ptr::null(), 0), |m| (m.as_ptr().cast(), m.len()));
    let status = unsafe {
        bm_extract_bytes(
            data.as_ptr(),
            data.len(),
            m,
            m_len,
            c_config(config),
            &mut out,
        )
    };
    (status, out)
}

fn extract_bytes(data: &[u8], mime: Option<&str>) -> (bm_status, *mut bm_result) {
    extract_bytes_with(data, mime, None)
}

/// A shared-corpus file (`/work/shared/corpus/<rel>`), or `None` when it is not there.
fn corpus(rel: &str) -> Option<String> {
    let path = format!("{}/../../shared/corpus/{rel}", env!("CARGO_MANIFEST_DIR"));
    if std::path::Path::new(&path).is_file() {
        Some(path)
    } else {
        eprintln!("skipped: {path} not readable");
        None
    }
}

/// Asserts that a C call's outcome equals the core's for the same input, then frees.
fn assert_same_as_core(
    (status, out): (bm_status, *mut bm_result),
    expected: &bridgemark_core::Result<bridgemark_core::ExtractionResult>,
) {
    match expected {
        Ok(expected) => {
            assert_eq!(status, bm_status::BM_OK, "{}", last_error());
            assert_eq!(&read_back(unsafe { &*out }), expected);
            unsafe { bm_result_free(out) };
        }
        Err(err) => {
            assert_eq!(status as u32, err.kind.code());
            assert_eq!(out, sentinel(), "out-parameter written on error");
            assert_eq!(last_error(), err.message);
        }
    }
}

#[test]
fn extract_file_errors_keep_out_untouched_and_set_message() {
    let cases: [(&[u8], bm_status, &str); 3] = [
        (
            b"/nonexistent/x.docx",
            bm_status::BM_NOT_FOUND,
            "no such file or directory: /nonexistent/x.docx",
        ),
        (b"/", bm_status::BM_IS_A_DIRECTORY, "is a directory: /"),
        (b"/tmp/a\0b", bm_status::BM_INVALID_ARGUMENT, ""),
    ];
    for (path, expected, message) in cases {
        let (status, out) = extract_file(path);
        assert_eq!(status, expected, "{path:?}");
        assert_eq!(out, sentinel());
        assert!(last_error().starts_with(message), "{}", last_error());
    }
}

#[test]
fn extract_bytes_errors_match_core() {
    for (data, mime) in [
        (&b""[..], None),
        (b"garbage", None),
        (b"PK\x03\x04garbage", None),
        (b"x", Some("text/plain")),
    ] {
        let expected = bridgemark_core::extract_bytes(data, mime, &Config::DEFAULT).unwrap_err();
        let (status, out) = extract_bytes(data, mime);
        assert_eq!(status as u32, expected.kind.code());
        assert_eq!(out, sentinel());
        assert_eq!(last_error(), expected.message);
    }
}

#[test]
fn null_arguments_are_invalid_not_crashes() {
    let mut out = sentinel();
    let status = unsafe { bm_extract_bytes(ptr::null(), 5, ptr::null(), 0, ptr::null(), &mut out) };
    assert_eq!((status, out), (bm_status::BM_INVALID_ARGUMENT, sentinel()));
    let status = unsafe { bm_extract_file(ptr::null(), 3, ptr::null(), &mut out) };
    assert_eq!((status, out), (bm_status::BM_INVALID_ARGUMENT, sentinel()));
    let status = unsafe { bm_make_result(1, 1, ptr::null_mut()) };
    assert_eq!(status, bm_status::BM_INVALID_ARGUMENT);
    let (status, _) = extract_bytes(b"", None);
    assert_eq!(
        status as u32,
        ErrorKind::UnsupportedFormat.code(),
        "NULL data with len 0 is the empty input"
    );
}

#[test]
fn invalid_utf8_mime_and_echo_are_invalid_argument() {
    let mut out = sentinel();
    let status = unsafe {
        bm_extract_bytes(
            b"x".as_ptr(),
            1,
            b"\xff".as_ptr().cast(),
            1,
            ptr::null(),
            &mut out,
        )
    };
    assert_eq!((status, out), (bm_status::BM_INVALID_ARGUMENT, sentinel()));
    let mut buf = bm_buf {
        ptr: ptr::dangling_mut(),
        len: 99,
    };
    let status = unsafe { bm_echo(b"\xff".as_ptr().cast(), 1, &mut buf) };
    assert_eq!(status, bm_status::BM_INVALID_ARGUMENT);
    assert_eq!(buf.len, 99);
}

#[test]
fn extract_file_success_equals_core_and_frees() {
    let Some(path) = corpus("kreuzberg/lorem_ipsum.docx") else {
        return;
    };
    let expected = bridgemark_core::extract_file(path.as_ref(), &Config::DEFAULT);
    assert!(expected.is_ok());
    assert_same_as_core(extract_file(path.as_bytes()), &expected);
    let bytes = std::fs::read(&path).unwrap();
    assert_same_as_core(extract_bytes(&bytes, None), &expected);
}

#[test]
fn null_config_and_default_config_are_the_core_default() {
    let Some(path) = corpus("kreuzberg/lorem_ipsum.docx") else {
        return;
    };
    let expected = bridgemark_core::extract_file(path.as_ref(), &Config::DEFAULT);
    let defaults = bm_config_default();
    assert_same_as_core(
        extract_file_with(path.as_bytes(), Some(&defaults)),
        &expected,
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_same_as_core(extract_bytes_with(&bytes, None, Some(&defaults)), &expected);
}

#[test]
fn new_metadata_fields_reach_c() {
    // Five comments and a stored word count (docProps/app.xml).
    let Some(path) = corpus("pandoc/docx/comments.docx") else {
        return;
    };
    let expected = bridgemark_core::extract_file(path.as_ref(), &Config::DEFAULT).unwrap();
    assert!(expected.metadata.word_count.is_some() && expected.metadata.comments.len() > 1);
    let (status, out) = extract_file(path.as_bytes());
    assert_eq!(status, bm_status::BM_OK);
    let m = unsafe { &(*out).metadata };
    assert_eq!(
        m.word_count,
        i64::from(expected.metadata.word_count.unwrap())
    );
    assert_eq!(m.n_comments, expected.metadata.comments.len());
    assert_eq!(read_back(unsafe { &*out }), expected);
    unsafe { bm_result_free(out) };
}

#[test]
fn limits_in_config_give_limit_exceeded_and_leave_out_alone() {
    let Some(path) = corpus("kreuzberg/lorem_ipsum.docx") else {
        return;
    };
    let shallow = bm_config {
        max_xml_depth: 3,
        ..bm_config_default()
    };
    let core_config = Config {
        max_xml_depth: 3,
        ..Config::DEFAULT
    };
    let expected = bridgemark_core::extract_file(path.as_ref(), &core_config);
    assert_eq!(
        expected.as_ref().unwrap_err().kind,
        ErrorKind::LimitExceeded
    );
    assert_same_as_core(
        extract_file_with(path.as_bytes(), Some(&shallow)),
        &expected,
    );
    let few_entries = bm_config {
        max_zip_entries: 2,
        ..bm_config_default()
    };
    let bytes = std::fs::read(&path).unwrap();
    let (status, out) = extract_bytes_with(&bytes, None, Some(&few_entries));
    assert_eq!((status, out), (bm_status::BM_LIMIT_EXCEEDED, sentinel()));
}

#[test]
fn password_reaches_the_core() {
    let Some(path) = corpus("unstructured/password.pdf") else {
        return;
    };
    let core_with = |password: Option<&str>| {
        let config = Config {
            password: password.map(str::to_owned),
            ..Config::DEFAULT
        };
        bridgemark_core::extract_file(path.as_ref(), &config)
    };
    let with_password = |password: &str| bm_config {
        password: bm_str::borrowed(password),
        ..bm_config_default()
    };
    let right = core_with(Some("password"));
    if let Err(err) = &right {
        eprintln!("skipped: the core cannot read PDFs here ({})", err.message);
        return;
    }
    assert_same_as_core(extract_file(path.as_bytes()), &core_with(None));
    assert_eq!(
        core_with(None).unwrap_err().kind,
        ErrorKind::PasswordRequired
    );
    let config = with_password("password");
    assert_same_as_core(extract_file_with(path.as_bytes(), Some(&config)), &right);
    let wrong = with_password("wrong");
    assert_same_as_core(
        extract_file_with(path.as_bytes(), Some(&wrong)),
        &core_with(Some("wrong")),
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_same_as_core(extract_bytes_with(&bytes, None, Some(&config)), &right);
}

#[test]
fn password_not_utf8_is_invalid_argument_before_any_work() {
    let config = bm_config {
        password: bm_str {
            ptr: b"\xfe".as_ptr().cast(),
            len: 1,
        },
        ..bm_config_default()
    };
    let (status, out) = extract_bytes_with(b"garbage", None, Some(&config));
    assert_eq!((status, out), (bm_status::BM_INVALID_ARGUMENT, sentinel()));
    assert_eq!(last_error(), "password is not valid UTF-8");
    let (status, out) = extract_file_with(b"/nonexistent/x.pdf", Some(&config));
    assert_eq!((status, out), (bm_status::BM_INVALID_ARGUMENT, sentinel()));
}

#[test]
fn panic_probe_is_internal_with_the_core_message() {
    for message in ["x", "", "héllo ✓"] {
        let status = unsafe { bm_panic(message.as_ptr().cast(), message.len()) };
        assert_eq!(status, bm_status::BM_INTERNAL);
        assert_eq!(
            last_error(),
            format!("internal error (Rust panic): {message}")
        );
    }
    assert_eq!(unsafe { bm_panic(ptr::null(), 0) }, bm_status::BM_INTERNAL);
    let status = unsafe { bm_panic(b"\xff".as_ptr().cast(), 1) };
    assert_eq!(status, bm_status::BM_INVALID_ARGUMENT);
    assert_eq!(
        unsafe { bm_panic(ptr::null(), 4) },
        bm_status::BM_INVALID_ARGUMENT
    );
}

#[test]
fn probes_do_the_core_work() {
    bm_noop();
    assert_eq!(bm_add(i64::MAX, 1), i64::MIN);
    for text in ["", "héllo ✓"] {
        let mut buf = bm_buf {
            ptr: ptr::null_mut(),
            len: 0,
        };
        assert_eq!(
            unsafe { bm_echo(text.as_ptr().cast(), text.len(), &mut buf) },
            bm_status::BM_OK
        );
        assert!(!buf.ptr.is_null());
        assert_eq!(
            unsafe { std::slice::from_raw_parts(buf.ptr.cast::<u8>(), buf.len) },
            text.as_bytes()
        );
        unsafe { bm_buf_free(&mut buf) };
        assert!(buf.ptr.is_null(), "free resets the slot");
        unsafe { bm_buf_free(&mut buf) };
    }
    let mut out = sentinel();
    assert_eq!(unsafe { bm_make_result(10, 2, &mut out) }, bm_status::BM_OK);
    assert_eq!(read_back(unsafe { &*out }), probe::make_result(10, 2));
    unsafe { bm_result_free(out) };
    bm_spin(1_000);
    assert_eq!(bm_leak(16), bm_status::BM_OK);
}

#[test]
fn null_frees_are_no_ops() {
    unsafe {
        bm_result_free(ptr::null_mut());
        bm_buf_free(ptr::null_mut());
        bm_buf_free(&mut bm_buf {
            ptr: ptr::null_mut(),
            len: 5,
        });
    }
}

#[test]
fn leak_of_an_impossible_size_is_internal_not_silent() {
    // Regression: bm_leak returned void, so the caught panic of leak(2**62) was silent
    // on the C-ABI bridges while PyO3 and pybind11 raised InternalError.
    assert_eq!(bm_leak(1 << 62), bm_status::BM_INTERNAL);
    assert_eq!(
        last_error(),
        format!(
            "internal error (Rust panic): leak({}): cannot allocate that much",
            1u64 << 62
        )
    );
    assert_eq!(bm_leak(0), bm_status::BM_OK);
}

#[test]
fn time_extract_file_times_a_readable_file_and_reports_errors_without_writing() {
    let mut elapsed = u64::MAX;
    let missing = b"/nonexistent/x.docx";
    let status = unsafe {
        bm_time_extract_file(
            missing.as_ptr(),
            missing.len(),
            ptr::null(),
            3,
            &mut elapsed,
        )
    };
    assert_eq!(status, bm_status::BM_NOT_FOUND);
    assert_eq!(elapsed, u64::MAX, "out-parameter written on error");
    assert!(
        last_error().starts_with("no such file or directory"),
        "{}",
        last_error()
    );
    let status = unsafe {
        bm_time_extract_file(
            missing.as_ptr(),
            missing.len(),
            ptr::null(),
            1,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, bm_status::BM_INVALID_ARGUMENT);
    let Some(path) = corpus("kreuzberg/fake.docx") else {
        return;
    };
    let status =
        unsafe { bm_time_extract_file(path.as_ptr(), path.len(), ptr::null(), 4, &mut elapsed) };
    assert_eq!(status, bm_status::BM_OK, "{}", last_error());
    assert!(elapsed > 0 && elapsed < u64::MAX);
}

#[test]
fn time_probe_runs_named_probes_and_refuses_unknown_cases_without_writing() {
    let mut elapsed = u64::MAX;
    for bad in [&b"loop"[..], b"echo:9:klingon", b"\xff"] {
        let status = unsafe { bm_time_probe(bad.as_ptr(), bad.len(), 1, &mut elapsed) };
        assert_eq!(status, bm_status::BM_INVALID_ARGUMENT, "{bad:?}");
        assert_eq!(elapsed, u64::MAX, "out-parameter written on error");
    }
    let case = b"spin:1000";
    let status = unsafe { bm_time_probe(case.as_ptr(), case.len(), 10, &mut elapsed) };
    assert_eq!(status, bm_status::BM_OK, "{}", last_error());
    assert!(elapsed >= 10 * 1000, "10 spins of 1 µs took {elapsed} ns");
}

#[test]
fn core_clock_sums_this_librarys_extractions_only_while_on() {
    let missing = b"/nonexistent/clock.docx";
    let mut out = ptr::null_mut();
    let extract = |out: &mut *mut bm_result| unsafe {
        bm_extract_file(missing.as_ptr(), missing.len(), ptr::null(), out)
    };
    bm_core_clock_ns(false);
    assert_eq!(extract(&mut out), bm_status::BM_NOT_FOUND);
    assert_eq!(bm_core_clock_ns(true), 0, "off: nothing summed");
    assert_eq!(extract(&mut out), bm_status::BM_NOT_FOUND);
    assert!(
        bm_core_clock_ns(false) > 0,
        "on: the failed extraction's time"
    );
    assert_eq!(bm_core_clock_ns(false), 0, "taken: reset");
}
