//! Resource limits of one extraction ([`Config`]): what a hostile document may cost.
//!
//! Exceeding a limit is [`crate::ErrorKind::LimitExceeded`], never an abort or an OOM.
//! The defaults keep the peak memory of one extraction of any input under 256 MiB
//! (the inflated parts are held in memory: 128 MiB of XML is far beyond real documents).

/// Wall-clock budget of one PDF's page loop: pdfium's cost per page is its content
/// stream, which no size limit above bounds (50,000 pages may all draw one heavy stream),
/// so the loop stops with `LimitExceeded` once this much time has gone (checked between
/// pages; one page of pdfium work is not interruptible). Keeps every hostile PDF under
/// issue #5's 5 s. Not a `Config` field yet: the same on every bridge.
pub const PDF_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(3);

/// Most tables, rows, cells and comments (counted together, over all of a document's parts) one
/// DOCX may give (1,000,000; the largest corpus document gives 818): a bigger one is
/// `LimitExceeded`. Each becomes a Python object; without the limit a 300 KB file of 3M one-cell
/// tables took 1.6 GB, and a 234 KB file of 10M empty comments 1.9 GB and 22 s on ctypes. Not a
/// `Config` field yet: the same on every bridge.
pub const MAX_RESULT_OBJECTS: u64 = 1_000_000;

/// Most authors listed from a `dc:creator` (1,000, the first ones): metadata never fails an
/// extraction, and 40M `;`-separated names in 120 MB took 5 GB as strings.
pub const MAX_AUTHORS: usize = 1_000;

/// Extraction settings; every bridge passes one (the default unless told otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Password for encrypted documents (PDF); `None` = none given.
    pub password: Option<String>,
    /// Largest total number of bytes inflated from the ZIP parts read, and of text produced
    /// (PDF text, text copied by nested tables) (default 128 MiB).
    pub max_decompressed_bytes: u64,
    /// Largest number of entries a ZIP container may declare (default 10,000).
    pub max_zip_entries: u64,
    /// Deepest XML element nesting accepted (default 256).
    pub max_xml_depth: u32,
    /// Most pages read from a paged document (default 100,000).
    pub max_pages: u32,
}

impl Config {
    /// The documented defaults (see each field).
    pub const DEFAULT: Config = Config {
        password: None,
        max_decompressed_bytes: 128 * 1024 * 1024,
        max_zip_entries: 10_000,
        max_xml_depth: 256,
        max_pages: 100_000,
    };
}

impl Default for Config {
    fn default() -> Self {
        Self::DEFAULT
    }
}
