//! An OOXML package (the ZIP container of DOCX and friends): parts looked up by
//! name case-insensitively, read under the [`Config`] limits, relationships resolved.
//!
//! Deflated parts are inflated straight from the input slice, in one call, by
//! libdeflate into a buffer of the size the ZIP directory declares, not zero-filled
//! first (for a 5.3 MB part, the fill was 5.5M of 81.7M instructions; a decompressor is
//! kept per thread: setting one up costs more than inflating a small part); a part whose
//! declared size is wrong is inflated again by a streaming `flate2` decompressor under
//! the size limit. Every inflated part is checked against its CRC-32. Parts are stored or
//! deflated (OOXML allows nothing else); the ZIP directory is read by [`crate::zipdir`].

use std::cell::RefCell;
use std::ptr::NonNull;

use crate::error::{ExtractionError, Result};
use crate::limits::Config;
use crate::zipdir::{Directory, METHOD_DEFLATED, METHOD_STORED};

mod rels;

use flate2::{Decompress, FlushDecompress, Status};
use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_crc32, libdeflate_decompressor,
    libdeflate_deflate_decompress_ex, libdeflate_free_decompressor,
    libdeflate_result_LIBDEFLATE_SUCCESS,
};
pub use rels::Relationships;

/// Relationship type of the main document part (transitional and strict URIs end alike).
const REL_OFFICE_DOCUMENT: &str = "/officeDocument";
/// Relationship type of the core properties part (`docProps/core.xml`).
const REL_CORE_PROPERTIES: &str = "/core-properties";
/// Relationship type of the extended (application) properties part (`docProps/app.xml`).
const REL_EXTENDED_PROPERTIES: &str = "/extended-properties";

/// An opened package: the archive, its parts looked up by name case-insensitively.
pub struct Package<'a> {
    directory: Directory<'a>,
    config: Config,
    /// Bytes inflated so far, checked against `config.max_decompressed_bytes`.
    inflated: u64,
    /// The package relationships (`_rels/.rels`), read once.
    package_rels: Option<Relationships>,
    /// Names of the parts inflated so far, in order; kept only once [`Self::log_reads`]
    /// asked for it (a name copied per part is a cost extraction alone does not need).
    read_log: Option<Vec<String>>,
}

impl<'a> Package<'a> {
    /// Opens the ZIP archive in `bytes`, refusing more than `config.max_zip_entries` entries.
    ///
    /// Errors: `LimitExceeded` over the entry limit, `Corrupt` for an unreadable
    /// directory (see [`Directory::parse`]).
    pub fn open(bytes: &'a [u8], config: &Config) -> Result<Self> {
        Ok(Self {
            directory: Directory::parse(bytes, config.max_zip_entries)?,
            config: config.clone(),
            inflated: 0,
            package_rels: None,
            read_log: None,
        })
    }

    /// Index of the entry named `name`: exactly, else ignoring ASCII case and a leading `/`.
    fn find(&self, name: &str) -> Option<usize> {
        self.directory.find(name)
    }

    /// Whether a part named `name` (case-insensitive, no leading `/`) exists.
    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// Inflates part `name` (case-insensitive) as UTF-8 text without a BOM;
    /// `Ok(None)` when the package has no such part.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>> {
        let Some(buf) = self.read_bytes(name)? else {
            return Ok(None);
        };
        // simdutf8 validates a 5.3 MB part in half the instructions of `std::str::from_utf8`
        // (1.32M vs 2.62M, callgrind, handbook-872p.docx); std words the error.
        let mut text = if simdutf8::basic::from_utf8(&buf).is_ok() {
            // SAFETY: `buf` was just validated as UTF-8.
            unsafe { String::from_utf8_unchecked(buf) }
        } else {
            String::from_utf8(buf).map_err(|e| {
                ExtractionError::corrupt(format!("part {name} is not valid UTF-8: {e}"))
            })?
        };
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Ok(Some(text))
    }

    /// Inflates part `name` (case-insensitive) under the size limit and checks its
    /// CRC-32; `Ok(None)` when the package has no such part.
    pub fn read_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(i) = self.find(name) else {
            return Ok(None);
        };
        let remaining = self
            .config
            .max_decompressed_bytes
            .saturating_sub(self.inflated);
        let buf = self.inflate_entry(i, name, remaining)?;
        self.inflated += buf.len() as u64;
        if let Some(log) = &mut self.read_log {
            log.push(name.to_owned());
        }
        Ok(Some(buf))
    }

    /// Starts recording the names of the parts read from now on (see [`Self::read_log`]).
    pub fn log_reads(&mut self) {
        self.read_log.get_or_insert_with(Vec::new);
    }

    /// Names of the parts read since [`Self::log_reads`], in reading order.
    pub fn read_log(&self) -> &[String] {
        self.read_log.as_deref().unwrap_or_default()
    }

    /// Inflates entry `i` (named `name`), refusing more than `limit` bytes of output.
    ///
    /// Errors: `PasswordRequired` for an encrypted entry; `Corrupt` for a method other than
    /// stored or deflated, data outside the archive, bad deflate data, a size or CRC-32
    /// other than declared; `LimitExceeded` past `limit`.
    fn inflate_entry(&mut self, i: usize, name: &str, limit: u64) -> Result<Vec<u8>> {
        let entry = self.directory.entry(i);
        if entry.encrypted() {
            return Err(ExtractionError::password(format!(
                "part {name} is encrypted (ZIP encryption)"
            )));
        }
        let (method, crc, declared) = (entry.method, entry.crc32, entry.size);
        if method != METHOD_STORED && method != METHOD_DEFLATED {
            return Err(ExtractionError::corrupt(format!(
                "part {name} uses unsupported compression method {method}"
            )));
        }
        let data = self.directory.data(&entry)?;
        let out = if method == METHOD_DEFLATED {
            inflate(
                data,
                self.directory.through_end(data),
                declared,
                limit,
                name,
            )?
        } else {
            data.to_vec()
        };
        let out = self.check_limit(out, limit, name)?;
        if out.len() as u64 != declared {
            return Err(ExtractionError::corrupt(format!(
                "part {name} inflates to {} bytes, not the {declared} its ZIP entry declares",
                out.len()
            )));
        }
        if crc32(&out) != crc {
            return Err(ExtractionError::corrupt(format!(
                "part {name} fails its CRC-32 check"
            )));
        }
        Ok(out)
    }

    fn check_limit(&self, buf: Vec<u8>, limit: u64, name: &str) -> Result<Vec<u8>> {
        if buf.len() as u64 > limit {
            return Err(ExtractionError::limit(format!(
                "decompressed size exceeds the limit of {} bytes (while reading {name})",
                self.config.max_decompressed_bytes
            )));
        }
        Ok(buf)
    }

    /// The relationships of `part` (from `<dir>/_rels/<file>.rels`; `""` for the package),
    /// with targets resolved to part names; empty when there is no `.rels` part.
    pub fn relationships(&mut self, part: &str) -> Result<Relationships> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(xml) = self.read_text(&rels_name)? else {
            return Ok(Relationships::default());
        };
        rels::parse(&xml, &rels_name, dir, self.config.max_xml_depth)
    }

    /// Target of the package relationship whose type ends with `suffix`.
    fn package_target(&mut self, suffix: &str) -> Result<Option<String>> {
        if self.package_rels.is_none() {
            self.package_rels = Some(self.relationships("")?);
        }
        Ok(self
            .package_rels
            .as_ref()
            .and_then(|rels| rels.target_of_type(suffix))
            .map(str::to_owned))
    }

    /// Part name of the main document, from `_rels/.rels` (never assumed).
    pub fn main_part(&mut self) -> Result<String> {
        match self.package_target(REL_OFFICE_DOCUMENT)? {
            Some(target) if self.contains(&target) => Ok(target),
            Some(target) => Err(ExtractionError::corrupt(format!(
                "main document part {target} named in _rels/.rels is missing"
            ))),
            None if self.contains("_rels/.rels") => Err(ExtractionError::corrupt(
                "_rels/.rels names no main document part (officeDocument relationship)",
            )),
            None => Err(ExtractionError::unsupported(
                "ZIP archive is not an OOXML package (no _rels/.rels)",
            )),
        }
    }

    /// Part name of the core properties (`docProps/core.xml`), when the package has one.
    pub fn core_properties_part(&mut self) -> Result<Option<String>> {
        Ok(self
            .package_target(REL_CORE_PROPERTIES)?
            .filter(|t| self.contains(t)))
    }

    /// Part name of the extended properties (`docProps/app.xml`), when the package has one.
    pub fn extended_properties_part(&mut self) -> Result<Option<String>> {
        Ok(self
            .package_target(REL_EXTENDED_PROPERTIES)?
            .filter(|t| self.contains(t)))
    }
}

thread_local! {
    /// One libdeflate decompressor per thread (whole-buffer inflation).
    static LIBDEFLATE: RefCell<LibDeflate> = RefCell::new(LibDeflate::new());
    /// One streaming raw-deflate decompressor per thread, reset for every part.
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// Inflates raw deflate `data` (declaring `declared` bytes of output) into a new buffer;
/// stops once the output passes `limit` bytes (the caller reports that). `readable` starts
/// with `data` and may go on (see [`LibDeflate::inflate_exact`]).
fn inflate(data: &[u8], readable: &[u8], declared: u64, limit: u64, name: &str) -> Result<Vec<u8>> {
    // The declared size comes from the (untrusted) ZIP directory: believe it only as far
    // as deflate can expand (at most MAX_DEFLATE_RATIO : 1) and the limit allows.
    let plausible = (data.len() as u64)
        .saturating_mul(MAX_DEFLATE_RATIO)
        .min(limit);
    if declared <= plausible {
        let mut out = try_buffer(declared as usize + FASTLOOP_SLACK, name)?;
        if LIBDEFLATE
            .with_borrow_mut(|d| d.inflate_exact(data, readable, &mut out, declared as usize))
        {
            return Ok(out);
        }
        // Wrong declared size or bad data: the streaming path decides (and words the error).
    }
    inflate_streaming(data, declared.min(plausible), limit, name)
}

/// An owned libdeflate decompressor (its decode tables, about 11 KiB).
struct LibDeflate(NonNull<libdeflate_decompressor>);

impl LibDeflate {
    /// Panics when libdeflate cannot allocate (out of memory), as `libdeflater` did.
    fn new() -> Self {
        // SAFETY: no preconditions; a NULL result (out of memory) is checked below.
        let raw = unsafe { libdeflate_alloc_decompressor() };
        Self(NonNull::new(raw).expect("libdeflate_alloc_decompressor returned NULL: out of memory"))
    }

    /// Inflates raw deflate `data` into the spare capacity of `out` (not zero-filled first)
    /// and appends the result; true when the stream is valid, ends within `data` and
    /// inflates to exactly `declared` bytes (false when `out` has no room for that many).
    /// `readable`: `data` and the bytes after it (a prefix of the rest of the archive), which
    /// libdeflate may read ahead into: its fast loop runs only while input is left behind it.
    fn inflate_exact(
        &mut self,
        data: &[u8],
        readable: &[u8],
        out: &mut Vec<u8>,
        declared: usize,
    ) -> bool {
        let spare = out.spare_capacity_mut();
        let avail = spare.len();
        let mut written = 0usize;
        let mut consumed = 0usize;
        // SAFETY: `self.0` is a live decompressor used by this thread only (`&mut self`);
        // `readable` is readable for `readable.len()` bytes (libdeflate reads no further);
        // `spare` is writable for `avail` bytes.
        // libdeflate touches the output only within its `out_nbytes_avail` bytes and does
        // not need them initialized (as with malloc'ed memory in C: its word-wise match
        // copies may read bytes ahead of the output, which it overwrites before it reports
        // them); it reports the bytes produced in `written`.
        let result = unsafe {
            libdeflate_deflate_decompress_ex(
                self.0.as_ptr(),
                readable.as_ptr().cast(),
                readable.len(),
                spare.as_mut_ptr().cast(),
                avail,
                &mut consumed,
                &mut written,
            )
        };
        if result != libdeflate_result_LIBDEFLATE_SUCCESS
            || written != declared
            || consumed > data.len()
        {
            return false;
        }
        // SAFETY: on success libdeflate initialized the first `written` (≤ `avail` ≤ spare
        // capacity) bytes after `out.len()`.
        unsafe { out.set_len(out.len() + written) };
        true
    }
}

impl Drop for LibDeflate {
    fn drop(&mut self) {
        // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once, here.
        unsafe { libdeflate_free_decompressor(self.0.as_ptr()) }
    }
}

/// CRC-32 (ZIP's, ISO-HDLC) of `bytes`, by libdeflate: its carry-less multiplication
/// folds eight vectors (128 bytes with PCLMULQDQ, more with VPCLMULQDQ) a step where
/// `crc32fast` folds 64 bytes (6.6k → 2.2k instructions for the 6.4 KB a small DOCX inflates).
fn crc32(bytes: &[u8]) -> u32 {
    // SAFETY: libdeflate reads exactly `bytes.len()` bytes from `bytes.as_ptr()` (a
    // valid slice) and keeps no pointer after it returns.
    unsafe { libdeflate_crc32(0, bytes.as_ptr().cast(), bytes.len()) }
}

/// Output room past the declared size: libdeflate's fast loop runs while this much is left
/// (FASTLOOP_MAX_BYTES_WRITTEN = 2 + 258 + 5 × 8 − 1 in deflate_decompress.c).
const FASTLOOP_SLACK: usize = 300;

/// Deflate's largest expansion: 258 bytes from about 2 bits (RFC 1951), rounded up.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// An empty buffer with room for `capacity` bytes, or a `LimitExceeded` error when the
/// allocation fails (never an abort).
fn try_buffer(capacity: usize, name: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    out.try_reserve_exact(capacity).map_err(|_| {
        ExtractionError::limit(format!(
            "cannot allocate {capacity} bytes to inflate part {name}"
        ))
    })?;
    Ok(out)
}

/// Streaming inflation of raw deflate `data` with `flate2`, stopping past `limit` bytes.
fn inflate_streaming(data: &[u8], declared: u64, limit: u64, name: &str) -> Result<Vec<u8>> {
    let corrupt = |e: &dyn std::fmt::Display| {
        ExtractionError::corrupt(format!("cannot inflate part {name}: {e}"))
    };
    INFLATER.with_borrow_mut(|d| {
        d.reset(false);
        let mut out = try_buffer(declared.min(limit) as usize + 1, name)?;
        loop {
            let consumed = d.total_in() as usize;
            let produced = out.len();
            let status = d
                .decompress_vec(&data[consumed..], &mut out, FlushDecompress::Finish)
                .map_err(|e| corrupt(&e))?;
            match status {
                Status::StreamEnd => return Ok(out),
                _ if out.len() as u64 > limit => return Ok(out),
                _ if out.len() == out.capacity() => {
                    let more = out.len().max(1 << 16);
                    out.try_reserve(more).map_err(|_| {
                        ExtractionError::limit(format!(
                            "cannot allocate {more} more bytes to inflate part {name}"
                        ))
                    })?;
                }
                _ if d.total_in() as usize == consumed && out.len() == produced => {
                    return Err(corrupt(&"deflate stream ends early"));
                }
                _ => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{Config, Package, crc32, inflate};
    use crate::error::ErrorKind;
    use crate::zipdir::tests::{Spec, archive};

    /// A stored (uncompressed) ZIP holding `entries` (name, contents).
    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let specs: Vec<Spec<'_>> = entries
            .iter()
            .map(|(name, contents)| Spec::stored(name, contents.as_bytes()))
            .collect();
        archive(&specs, b"")
    }

    #[test]
    fn an_encrypted_part_requires_a_password_and_an_unknown_method_is_corrupt() {
        let encrypted = Spec {
            flags: 1,
            ..Spec::stored("word/document.xml", b"x")
        };
        let bzip2 = Spec {
            method: 12,
            ..Spec::stored("word/styles.xml", b"x")
        };
        let bytes = archive(&[encrypted, bzip2], b"");
        let mut package = Package::open(&bytes, &Config::DEFAULT).unwrap();
        let err = package.read_bytes("word/document.xml").unwrap_err();
        assert_eq!(err.kind, ErrorKind::PasswordRequired);
        assert_eq!(
            err.message,
            "part word/document.xml is encrypted (ZIP encryption)"
        );
        let err = package.read_bytes("word/styles.xml").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Corrupt);
        assert_eq!(
            err.message,
            "part word/styles.xml uses unsupported compression method 12"
        );
    }

    #[test]
    fn crc32_is_zips_and_a_wrong_one_is_corrupt() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for len in [0, 1, 15, 16, 17, 127, 128, 129, 300, 1000] {
            assert_eq!(crc32(&bytes[..len]), crc32fast::hash(&bytes[..len]));
        }
        let wrong = Spec {
            crc32: crc32fast::hash(b"x") ^ 1,
            ..Spec::stored("word/document.xml", b"x")
        };
        let zip = archive(&[wrong], b"");
        let mut package = Package::open(&zip, &Config::DEFAULT).unwrap();
        let err = package.read_bytes("word/document.xml").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Corrupt);
        assert_eq!(err.message, "part word/document.xml fails its CRC-32 check");
    }

    #[test]
    fn a_stored_part_over_the_limit_is_refused() {
        let bytes = zip_of(&[("word/document.xml", "0123456789")]);
        let config = Config {
            max_decompressed_bytes: 9,
            ..Config::DEFAULT
        };
        let mut package = Package::open(&bytes, &config).unwrap();
        let err = package.read_bytes("word/document.xml").unwrap_err();
        assert_eq!(err.kind, ErrorKind::LimitExceeded);
    }

    #[test]
    fn parts_are_found_ignoring_case_and_a_leading_slash_exact_names_first() {
        let bytes = zip_of(&[
            ("Word/Document.XML", "folded"),
            ("/docProps/core.xml", "slash"),
            ("word/styles.xml", "exact"),
            ("WORD/STYLES.XML", "other case"),
        ]);
        let mut package = Package::open(&bytes, &Config::DEFAULT).unwrap();
        let text = |p: &mut Package<'_>, name| p.read_text(name).unwrap();
        assert_eq!(
            text(&mut package, "word/document.xml").as_deref(),
            Some("folded")
        );
        assert_eq!(
            text(&mut package, "docProps/core.xml").as_deref(),
            Some("slash")
        );
        assert_eq!(
            text(&mut package, "WORD/STYLES.XML").as_deref(),
            Some("other case")
        );
        assert_eq!(
            text(&mut package, "word/Styles.xml").as_deref(),
            Some("exact")
        );
        assert!(package.contains("WORD/document.xml"));
        assert_eq!(text(&mut package, "word/missing.xml"), None);
    }

    #[test]
    fn an_absurd_declared_size_is_not_allocated() {
        // Regression: a zip64 entry declaring 512 GiB with a large caller limit aborted on allocation.
        let data = [0x03, 0x00]; // an empty raw deflate stream
        let out = inflate(&data, &data, 512 << 30, 1 << 40, "word/document.xml").unwrap();
        assert!(out.is_empty());
    }

    /// `text` as a raw deflate stream.
    fn deflated(text: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn a_part_inflates_whole_into_its_declared_size_and_a_wrong_size_streams() {
        let text = b"<w:t>inflated into uninitialized capacity</w:t>".repeat(50);
        let data = deflated(&text);
        let name = "word/document.xml";
        // The entry's data is followed by more of the archive: the decoder may read ahead.
        let archive = [&data[..], b"PK\x01\x02 the central directory follows"].concat();
        assert_eq!(
            inflate(&data, &archive, text.len() as u64, 1 << 20, name).unwrap(),
            text
        );
        // Too small or too large a declared size: libdeflate refuses, streaming inflates it
        // all (inflate_entry then reports the size mismatch).
        for declared in [text.len() as u64 - 1, text.len() as u64 + 7] {
            assert_eq!(
                inflate(&data, &archive, declared, 1 << 20, name).unwrap(),
                text
            );
        }
    }

    #[test]
    fn a_stream_that_ends_past_its_compressed_size_is_corrupt() {
        // The read-ahead room must not let a stream borrow the bytes after its entry.
        let text = b"<w:t>the end of this stream lies past the entry</w:t>".repeat(20);
        let whole = deflated(&text);
        let truncated = &whole[..whole.len() - 2];
        let err = inflate(
            truncated,
            &whole,
            text.len() as u64,
            1 << 20,
            "word/document.xml",
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Corrupt);
    }
}
