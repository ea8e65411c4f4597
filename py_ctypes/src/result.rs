//! The C view of `bridgemark_core::ExtractionResult`: plain structs of borrowed
//! slices, all pointing into one owned allocation tree behind `bm_result *`.

use std::ffi::c_char;
use std::ptr;

use bridgemark_core::ExtractionResult;

/// A UTF-8 string slice (not NUL-terminated) borrowed from the library.
///
/// `ptr == NULL` means "absent" (an unset metadata field); a present empty string
/// has a non-NULL `ptr` and `len == 0`. `len` is in bytes.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct bm_str {
    pub ptr: *const c_char,
    pub len: usize,
}

impl bm_str {
    /// The absent string (`ptr == NULL`).
    pub const ABSENT: bm_str = bm_str {
        ptr: ptr::null(),
        len: 0,
    };

    /// Borrows `s` (the caller keeps `s` alive as long as the view is used).
    pub fn borrowed(s: &str) -> bm_str {
        bm_str {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }

    fn optional(s: Option<&String>) -> bm_str {
        s.map_or(Self::ABSENT, |s| Self::borrowed(s))
    }

    /// The text, or `None` when absent (for tests and Rust callers).
    ///
    /// # Safety contract
    /// `ptr`/`len` must come from this library and still be valid.
    pub fn as_str(&self) -> Option<&str> {
        if self.ptr.is_null() {
            return None;
        }
        // SAFETY: every non-NULL bm_str handed out borrows a live Rust `str`.
        Some(unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr.cast(), self.len))
        })
    }
}

/// Document metadata; every string may be absent (`ptr == NULL`).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug)]
pub struct bm_metadata {
    pub title: bm_str,
    /// `n_authors` author names (`authors` is not NULL but must not be read when `n_authors == 0`).
    pub authors: *const bm_str,
    pub n_authors: usize,
    /// ISO-8601 creation date as stored in the document.
    pub created: bm_str,
    /// ISO-8601 modification date as stored in the document.
    pub modified: bm_str,
    /// Number of pages, or -1 when absent.
    pub page_count: i64,
    /// Number of words as stored by the producing application, or -1 when absent.
    pub word_count: i64,
    /// `n_comments` comment texts in document order (`comments` is not NULL but must
    /// not be read when `n_comments == 0`).
    pub comments: *const bm_str,
    pub n_comments: usize,
}

/// One table row: `n_cells` cell texts.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug)]
pub struct bm_row {
    pub cells: *const bm_str,
    pub n_cells: usize,
}

/// One table: `n_rows` rows (rows may differ in length).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug)]
pub struct bm_table {
    pub rows: *const bm_row,
    pub n_rows: usize,
}

/// Text, MIME type, metadata and tables of one document.
///
/// Owned by the library: every pointer inside borrows from the same allocation and
/// stays valid until the one `bm_result_free` call on the `bm_result *` that holds it.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug)]
pub struct bm_result {
    /// The text a reader sees (blocks separated by "\n", table cells by "\t").
    pub content: bm_str,
    /// The detected MIME type.
    pub mime_type: bm_str,
    pub metadata: bm_metadata,
    /// `n_tables` tables in document order.
    pub tables: *const bm_table,
    pub n_tables: usize,
}

/// The allocation behind a `bm_result *`: the C view first (so the two pointers are
/// the same), then the storage it borrows from. Moving the `String`s and `Vec`s in
/// here does not move their heap buffers, so the view's pointers stay valid.
#[repr(C)]
pub(crate) struct OwnedResult {
    view: bm_result,
    _result: ExtractionResult,
    _authors: Vec<bm_str>,
    _comments: Vec<bm_str>,
    _cells: Vec<bm_str>,
    _rows: Vec<bm_row>,
    _tables: Vec<bm_table>,
}

impl OwnedResult {
    /// Builds the C view of `result` and boxes both; the pointer goes to C and comes
    /// back only through [`bm_result_free`].
    pub(crate) fn into_raw(result: ExtractionResult) -> *mut bm_result {
        let strs = |v: &[String]| v.iter().map(|a| bm_str::borrowed(a)).collect::<Vec<_>>();
        let authors = strs(&result.metadata.authors);
        let comments = strs(&result.metadata.comments);
        let cells: Vec<bm_str> = result
            .tables
            .iter()
            .flatten()
            .flatten()
            .map(|c| bm_str::borrowed(c))
            .collect();
        let mut rows = Vec::with_capacity(result.tables.iter().map(Vec::len).sum());
        let mut tables = Vec::with_capacity(result.tables.len());
        let mut next_cell = 0;
        for table in &result.tables {
            let first_row = rows.len();
            for row in table {
                rows.push(bm_row {
                    cells: cells[next_cell..].as_ptr(),
                    n_cells: row.len(),
                });
                next_cell += row.len();
            }
            tables.push(bm_table {
                rows: rows[first_row..].as_ptr(),
                n_rows: table.len(),
            });
        }
        let m = &result.metadata;
        let view = bm_result {
            content: bm_str::borrowed(&result.content),
            mime_type: bm_str::borrowed(&result.mime_type),
            metadata: bm_metadata {
                title: bm_str::optional(m.title.as_ref()),
                authors: authors.as_ptr(),
                n_authors: authors.len(),
                created: bm_str::optional(m.created.as_ref()),
                modified: bm_str::optional(m.modified.as_ref()),
                page_count: m.page_count.map_or(-1, i64::from),
                word_count: m.word_count.map_or(-1, i64::from),
                comments: comments.as_ptr(),
                n_comments: comments.len(),
            },
            tables: tables.as_ptr(),
            n_tables: tables.len(),
        };
        let owned = Box::new(OwnedResult {
            view,
            _result: result,
            _authors: authors,
            _comments: comments,
            _cells: cells,
            _rows: rows,
            _tables: tables,
        });
        Box::into_raw(owned).cast()
    }
}

/// Frees a result returned by `bm_extract_file`, `bm_extract_bytes` or
/// `bm_make_result`, and everything it points to. NULL is accepted (no-op).
/// Call it exactly once per result; no pointer taken from it may be used afterwards.
///
/// # Safety
/// `result` is NULL or a pointer this library returned and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_result_free(result: *mut bm_result) {
    if result.is_null() {
        return;
    }
    crate::status::run_infallible(|| {
        // SAFETY: `result` came from `OwnedResult::into_raw` (first field, repr(C)).
        drop(unsafe { Box::from_raw(result.cast::<OwnedResult>()) });
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use bridgemark_core::probe;

    fn slice<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }

    fn s(s: &bm_str) -> Option<String> {
        s.as_str().map(str::to_owned)
    }

    /// Reads a C view back into a core result (the inverse of `into_raw`).
    pub(crate) fn read_back(r: &bm_result) -> ExtractionResult {
        let m = &r.metadata;
        let strs = |ptr, len| slice(ptr, len).iter().map(|a| s(a).unwrap()).collect();
        let tables = slice(r.tables, r.n_tables)
            .iter()
            .map(|t: &bm_table| {
                slice(t.rows, t.n_rows)
                    .iter()
                    .map(|row: &bm_row| {
                        slice(row.cells, row.n_cells)
                            .iter()
                            .map(|c| s(c).unwrap())
                            .collect()
                    })
                    .collect()
            })
            .collect();
        ExtractionResult {
            content: s(&r.content).unwrap(),
            mime_type: s(&r.mime_type).unwrap(),
            metadata: bridgemark_core::Metadata {
                title: s(&m.title),
                authors: strs(m.authors, m.n_authors),
                created: s(&m.created),
                modified: s(&m.modified),
                page_count: u32::try_from(m.page_count).ok(),
                word_count: u32::try_from(m.word_count).ok(),
                comments: strs(m.comments, m.n_comments),
            },
            tables,
        }
    }

    #[test]
    fn view_round_trips_and_frees() {
        let expected = probe::make_result(100, 3);
        let raw = OwnedResult::into_raw(expected.clone());
        assert_eq!(read_back(unsafe { &*raw }), expected);
        unsafe { bm_result_free(raw) };
    }

    #[test]
    fn zero_counts_and_several_comments_are_present() {
        let mut expected = probe::make_result(0, 0);
        expected.metadata.page_count = Some(0);
        expected.metadata.word_count = Some(0);
        expected.metadata.comments = vec!["one".into(), String::new(), "drei ✓".into()];
        let raw = OwnedResult::into_raw(expected.clone());
        let view = unsafe { &*raw };
        assert_eq!((view.metadata.page_count, view.metadata.word_count), (0, 0));
        assert_eq!(view.metadata.n_comments, 3);
        assert_eq!(read_back(view), expected);
        unsafe { bm_result_free(raw) };
    }

    #[test]
    fn ragged_tables_absent_metadata_and_empty_strings() {
        let expected = ExtractionResult {
            content: String::new(),
            mime_type: "x/y".into(),
            metadata: Default::default(),
            tables: vec![
                vec![],
                vec![vec!["a".into()], vec![], vec!["".into(), "c".into()]],
            ],
        };
        let raw = OwnedResult::into_raw(expected.clone());
        let view = unsafe { &*raw };
        assert!(view.metadata.title.ptr.is_null());
        assert_eq!(view.metadata.page_count, -1);
        assert_eq!(view.metadata.word_count, -1);
        assert_eq!(view.metadata.n_comments, 0);
        assert!(
            !view.content.ptr.is_null(),
            "present empty string is not NULL"
        );
        assert_eq!(read_back(view), expected);
        unsafe { bm_result_free(raw) };
    }

    #[test]
    fn free_null_is_a_no_op() {
        unsafe { bm_result_free(ptr::null_mut()) };
    }
}
