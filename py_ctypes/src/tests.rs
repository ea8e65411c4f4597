//! Whole-ABI tests: the committed header is cbindgen's output; every export frees
//! what it hands out, leaves out-parameters alone on error and uses the core's codes.

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

fn extract_file(path: &[u8]) -> (bm_status, *mut bm_result) {
    let mut out = sentinel();
    let status = unsafe { bm_extract_file(path.as_ptr(), path.len(), &mut out) };
    (status, out)
}

fn extract_bytes(data: &[u8], mime: Option<&str>) -> (bm_status, *mut bm_result) {
    let mut out = sentinel();
    let (m, m_len) = mime.map_or((ptr::null(), 0), |m| (m.as_ptr().cast(), m.len()));
    let status = unsafe { bm_extract_bytes(data.as_ptr(), data.len(), m, m_len, &mut out) };
    (status, out)
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
    let status = unsafe { bm_extract_bytes(ptr::null(), 5, ptr::null(), 0, &mut out) };
    assert_eq!((status, out), (bm_status::BM_INVALID_ARGUMENT, sentinel()));
    let status = unsafe { bm_extract_file(ptr::null(), 3, &mut out) };
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
    let status =
        unsafe { bm_extract_bytes(b"x".as_ptr(), 1, b"\xff".as_ptr().cast(), 1, &mut out) };
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
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/kreuzberg/lorem_ipsum.docx"
    );
    let Ok(expected) = bridgemark_core::extract_file(path.as_ref(), &Config::DEFAULT) else {
        eprintln!("skipped: {path} not readable");
        return;
    };
    let (status, out) = extract_file(path.as_bytes());
    assert_eq!(status, bm_status::BM_OK);
    assert_eq!(read_back(unsafe { &*out }), expected);
    unsafe { bm_result_free(out) };
    let bytes = std::fs::read(path).unwrap();
    let (status, out) = extract_bytes(&bytes, None);
    assert_eq!(status, bm_status::BM_OK);
    assert_eq!(read_back(unsafe { &*out }), expected);
    unsafe { bm_result_free(out) };
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
    bm_leak(16);
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
