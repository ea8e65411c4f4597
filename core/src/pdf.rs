//! PDF text and metadata through pdfium (via `pdfium-render`'s raw bindings).
//!
//! libpdfium is loaded dynamically once per process (`OnceLock`) from
//! `$BRIDGEMARK_PDFIUM`, or from the `pypdfium2_raw` package of the Python environment
//! this process runs in (`<prefix>/lib/python3.*/site-packages/pypdfium2_raw/libpdfium.so`,
//! `<prefix>` taken from the running executable, `$VIRTUAL_ENV`, or a `.venv` in the
//! current directory or one of its parents). Every call into pdfium is serialised: pdfium
//! is not thread-safe. A mutex serialises the threads of this copy of the core, and
//! [`CrossCopyGuard`] serialises the copies: every bridge links its own copy (with its own
//! statics), and two bridges in one process share the one loaded libpdfium. A missing library is an `UnsupportedFormat` error
//! for PDF input only; DOCX never loads it.
//!
//! The work per page is what pypdfium2's `PdfTextPage.get_text_range()` does
//! (`FPDFText_LoadPage`, `FPDFText_CountChars`, `FPDFText_GetText`), so the two compare
//! like for like. Pages are separated by a form feed (`\x0c`); pdfium's `\r\n` line
//! ends become `\n`.

use std::env;
use std::ffi::c_void;
use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use pdfium_render::prelude::*;

use crate::detect::PDF;
use crate::error::{ExtractionError, Result};
use crate::limits::{Config, PDF_TIME_BUDGET};
use crate::result::{ExtractionResult, Metadata};

/// Environment variable naming the libpdfium shared library to load.
pub const PDFIUM_ENV: &str = "BRIDGEMARK_PDFIUM";
/// Separator written between pages.
pub const PAGE_SEPARATOR: char = '\x0c';

static PDFIUM: OnceLock<std::result::Result<Mutex<Pdfium>, String>> = OnceLock::new();

/// pdfium's `FPDF_GetLastError` codes (fpdfview.h).
const FPDF_ERR_PASSWORD: u64 = 4;
const FPDF_ERR_SECURITY: u64 = 5;

/// Excludes the other copies of the core in this process while held: an open-file-
/// description lock (`F_OFD_SETLKW`, Linux) on `/proc/self/mem`, a file every process has
/// of its own. Each copy opens it itself, so the copies' locks conflict (two descriptions of
/// one inode); nothing outside the process can open it (only the process itself may, by
/// ptrace's rules), delete it or move it, and no setting (`TMPDIR`) changes which file it is.
/// A lock file in the temporary directory failed all three: deleted, replaced or named
/// differently after one bridge's first PDF call, it let two bridges into pdfium at once,
/// which corrupts pdfium's heap. When the lock cannot be taken the call fails (an `OSError`).
struct CrossCopyGuard(libc::c_int);

/// This copy's open `/proc/self/mem` and the process it was opened in: a fork's child opens
/// its own (the inherited one is the parent's).
static CROSS_COPY_FILE: Mutex<Option<(u32, File)>> = Mutex::new(None);

impl CrossCopyGuard {
    /// Errors: the `OSError` kinds of [`ExtractionError::io`] when `/proc/self/mem` cannot be
    /// opened or locked.
    fn acquire() -> Result<Self> {
        const PATH: &str = "/proc/self/mem";
        let fd = {
            let mut cached = CROSS_COPY_FILE.lock().unwrap_or_else(|p| p.into_inner());
            let pid = std::process::id();
            match &*cached {
                Some((opened_in, file)) if *opened_in == pid => file.as_raw_fd(),
                _ => {
                    let file = OpenOptions::new()
                        .read(true)
                        .write(true)
                        .open(PATH)
                        .map_err(|e| ExtractionError::io(&e, PATH))?;
                    let fd = file.as_raw_fd();
                    *cached = Some((pid, file));
                    fd
                }
            }
        };
        ofd_lock(fd, libc::F_WRLCK).map_err(|e| ExtractionError::io(&e, PATH))?;
        Ok(Self(fd))
    }
}

impl Drop for CrossCopyGuard {
    fn drop(&mut self) {
        // Unlocking a byte this description holds cannot fail (EINTR is retried).
        let _ = ofd_lock(self.0, libc::F_UNLCK);
    }
}

/// Takes (`F_WRLCK`, waiting) or releases (`F_UNLCK`) the OFD lock on the first byte of `fd`.
fn ofd_lock(fd: libc::c_int, kind: libc::c_int) -> std::io::Result<()> {
    // SAFETY: a zeroed `flock` is valid; `fcntl` reads it and the open file descriptor.
    let mut region: libc::flock = unsafe { std::mem::zeroed() };
    region.l_type = kind as libc::c_short;
    region.l_whence = libc::SEEK_SET as libc::c_short;
    region.l_len = 1;
    loop {
        // SAFETY: `region` is a valid `flock` and `fd` an open descriptor.
        if unsafe { libc::fcntl(fd, libc::F_OFD_SETLKW, &region) } == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Held while this copy loads pdfium, so that a fork waits for the load to finish.
static LOADING: Mutex<()> = Mutex::new(());

/// The loaded library, locked for the caller; `UnsupportedFormat` when it cannot be loaded,
/// [`CrossCopyGuard::acquire`]'s errors when the other copies cannot be kept out while it loads.
fn library() -> Result<MutexGuard<'static, Pdfium>> {
    let loaded = match PDFIUM.get() {
        Some(loaded) => loaded,
        None => {
            // Before `LOADING`: a fork while this thread waits for it or holds it must wait.
            fork::register();
            let _loading = LOADING
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // Loading initialises pdfium (`FPDF_InitLibrary`): the other copies wait.
            let _other_copies = CrossCopyGuard::acquire()?;
            PDFIUM.get_or_init(|| {
                let path = locate().ok_or_else(|| {
                    format!("PDF input needs libpdfium: set {PDFIUM_ENV} or install pypdfium2 in this Python environment")
                })?;
                let bindings = Pdfium::bind_to_library(&path).map_err(|e| {
                    let reason = format!("{e:?}").split_whitespace().collect::<Vec<_>>().join(" ");
                    format!("cannot load libpdfium from {}: {reason}", path.display())
                })?;
                Ok(Mutex::new(Pdfium::new(bindings)))
            })
        }
    };
    match loaded {
        // A panic while locked leaves pdfium itself consistent (every handle is closed by a guard).
        Ok(lock) => Ok(lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())),
        Err(message) => Err(ExtractionError::unsupported(message.clone())),
    }
}

/// `fork()` while another thread is in pdfium: without care the child inherits this copy's
/// locks held by a thread it does not have (its first PDF call then waits forever) and
/// pdfium's state in the middle of a call. The `pthread_atfork` handlers registered here
/// (once per copy of the core, when it first loads pdfium) make a fork wait until no thread
/// of this copy is loading or inside pdfium, hold both locks across the fork, and release
/// them in the parent and in the child: the child's pdfium is whole and its own.
mod fork {
    use std::cell::RefCell;
    use std::sync::{MutexGuard, Once};

    use super::{LOADING, PDFIUM, Pdfium};

    type Held = (MutexGuard<'static, ()>, Option<MutexGuard<'static, Pdfium>>);

    thread_local! {
        /// The locks the forking thread holds from `prepare` to `parent` / `child`.
        static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
    }

    /// Registers the handlers, once per copy of the core.
    pub(super) fn register() {
        static REGISTER: Once = Once::new();
        // SAFETY: the handlers are `extern "C"` functions of this library, which is never
        // unloaded (CPython keeps extension modules; ctypes and cffi keep their libraries).
        REGISTER.call_once(|| unsafe {
            libc::pthread_atfork(Some(prepare), Some(release), Some(release));
        });
    }

    /// Before a fork: waits for this copy's loading and pdfium calls to finish and holds
    /// their locks. `LOADING` first, as `library` takes it before the pdfium lock.
    extern "C" fn prepare() {
        let loading = LOADING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let pdfium = match PDFIUM.get() {
            Some(Ok(lock)) => Some(lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())),
            _ => None,
        };
        // `try_with`: a fork from a thread-local destructor of this thread runs unguarded
        // rather than abort (a panic cannot leave an `extern "C"` function).
        let _ = HELD.try_with(|held| *held.borrow_mut() = Some((loading, pdfium)));
    }

    /// After the fork, in the parent and in the child (the forking thread in both).
    extern "C" fn release() {
        let _ = HELD.try_with(|held| drop(held.borrow_mut().take()));
    }
}

/// Where libpdfium is: `$BRIDGEMARK_PDFIUM`, else next to an installed `pypdfium2_raw`.
pub fn locate() -> Option<PathBuf> {
    if let Some(path) = env::var_os(PDFIUM_ENV) {
        return Some(PathBuf::from(path));
    }
    let mut prefixes: Vec<PathBuf> = Vec::new();
    if let Ok(exe) = env::current_exe() {
        prefixes.extend(exe.parent().and_then(Path::parent).map(Path::to_path_buf));
    }
    prefixes.extend(env::var_os("VIRTUAL_ENV").map(PathBuf::from));
    if let Ok(cwd) = env::current_dir() {
        prefixes.extend(
            cwd.ancestors()
                .map(|dir| dir.join(".venv"))
                .filter(|v| v.is_dir()),
        );
    }
    prefixes.iter().find_map(|prefix| {
        let lib = std::fs::read_dir(prefix.join("lib")).ok()?;
        lib.flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
            .map(|e| e.path().join("site-packages/pypdfium2_raw/libpdfium.so"))
            .find(|candidate| candidate.is_file())
    })
}

/// Closes a pdfium handle when dropped, on every path out of [`extract`].
struct Closer<'a, F: Fn()>(&'a F);
impl<F: Fn()> Drop for Closer<'_, F> {
    fn drop(&mut self) {
        (self.0)()
    }
}

/// Extracts the text of every page and the document metadata from the PDF in `bytes`.
///
/// Errors: `InvalidArgument` (a password with a NUL character),
/// `PasswordRequired` (encrypted, and `config.password` missing or wrong),
/// `Corrupt` (pdfium cannot open it), `LimitExceeded` (more than `config.max_pages`
/// pages, more text than `config.max_decompressed_bytes`, or pages still left when
/// [`PDF_TIME_BUDGET`] has passed), `UnsupportedFormat`
/// (libpdfium not found, or an unsupported security handler), an `OSError` kind when the
/// other copies of the core cannot be kept out of pdfium ([`CrossCopyGuard`]).
pub fn extract(bytes: &[u8], config: &Config) -> Result<ExtractionResult> {
    if config.password.as_deref().is_some_and(|p| p.contains('\0')) {
        // pdfium takes a C string: pdfium-render panics on an interior NUL.
        return Err(ExtractionError::invalid_argument(
            "password contains a NUL character",
        ));
    }
    let pdfium = library()?;
    let _other_copies = CrossCopyGuard::acquire()?;
    let b = pdfium.bindings();
    // SAFETY: every handle below is used only while the pdfium lock is held and is
    // closed exactly once by its `Closer`, in reverse order of opening.
    let doc = unsafe { b.FPDF_LoadMemDocument64(bytes, config.password.as_deref()) };
    if doc.is_null() {
        return Err(match unsafe { b.FPDF_GetLastError() } as u64 {
            FPDF_ERR_PASSWORD if config.password.is_some() => {
                ExtractionError::password("encrypted PDF: the password given is not correct")
            }
            FPDF_ERR_PASSWORD => ExtractionError::password("encrypted PDF: a password is required"),
            FPDF_ERR_SECURITY => {
                ExtractionError::unsupported("PDF uses an unsupported security handler")
            }
            code => {
                ExtractionError::corrupt(format!("pdfium cannot open this PDF (FPDF error {code})"))
            }
        });
    }
    let close_doc = || unsafe { b.FPDF_CloseDocument(doc) };
    let _doc = Closer(&close_doc);
    let n_pages = unsafe { b.FPDF_GetPageCount(doc) }.max(0) as u32;
    if n_pages > config.max_pages {
        return Err(ExtractionError::limit(format!(
            "PDF has {n_pages} pages, more than the limit of {}",
            config.max_pages
        )));
    }
    let mut content = String::new();
    let mut buf: Vec<u16> = Vec::new();
    let started = std::time::Instant::now();
    for index in 0..n_pages {
        if index > 0 {
            content.push(PAGE_SEPARATOR);
        }
        if started.elapsed() > PDF_TIME_BUDGET {
            // The message holds no page number: it must not depend on the machine's speed.
            return Err(ExtractionError::limit(format!(
                "PDF of {n_pages} pages exceeds the time budget of {} s for extraction",
                PDF_TIME_BUDGET.as_secs()
            )));
        }
        let page = unsafe { b.FPDF_LoadPage(doc, index as i32) };
        if page.is_null() {
            continue; // pdfium could not parse this page: it contributes no text
        }
        let close_page = || unsafe { b.FPDF_ClosePage(page) };
        let _page = Closer(&close_page);
        let text_page = unsafe { b.FPDFText_LoadPage(page) };
        if text_page.is_null() {
            continue;
        }
        let close_text = || unsafe { b.FPDFText_ClosePage(text_page) };
        let _text = Closer(&close_text);
        let n_chars = unsafe { b.FPDFText_CountChars(text_page) };
        if n_chars <= 0 {
            continue;
        }
        buf.clear();
        buf.resize(n_chars as usize + 1, 0);
        let written = unsafe { b.FPDFText_GetText(text_page, 0, n_chars, buf.as_mut_ptr()) };
        let len = (written.max(1) as usize - 1).min(n_chars as usize);
        push_utf16_lines(&mut content, &buf[..len]);
        if content.len() as u64 > config.max_decompressed_bytes {
            return Err(ExtractionError::limit(format!(
                "PDF text exceeds the limit of {} bytes (after page {})",
                config.max_decompressed_bytes,
                index + 1
            )));
        }
    }
    let metadata = Metadata {
        title: meta_text(b, doc, "Title"),
        authors: meta_text(b, doc, "Author").into_iter().collect(),
        created: meta_text(b, doc, "CreationDate").and_then(|d| pdf_date_to_iso(&d)),
        modified: meta_text(b, doc, "ModDate").and_then(|d| pdf_date_to_iso(&d)),
        page_count: Some(n_pages),
        ..Metadata::default()
    };
    Ok(ExtractionResult {
        content,
        mime_type: PDF.to_owned(),
        metadata,
        tables: Vec::new(),
    })
}

/// Appends UTF-16 text, turning `\r\n` (and lone `\r`) into `\n`; unpaired surrogates become U+FFFD.
fn push_utf16_lines(out: &mut String, units: &[u16]) {
    let mut last_cr = false;
    for c in char::decode_utf16(units.iter().copied()) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        match c {
            '\r' => out.push('\n'),
            '\n' if last_cr => {}
            c => out.push(c),
        }
        last_cr = c == '\r';
    }
}

/// A document information entry (`Title`, `Author`, …), trimmed; `None` when absent or empty.
fn meta_text(b: &dyn PdfiumLibraryBindings, doc: FPDF_DOCUMENT, tag: &str) -> Option<String> {
    // SAFETY: `doc` is open; the first call asks for the size (bytes of UTF-16LE incl. NUL).
    let size = unsafe { b.FPDF_GetMetaText(doc, tag, std::ptr::null_mut(), 0) } as usize;
    if size <= 2 {
        return None;
    }
    let mut units = vec![0u16; size / 2];
    unsafe { b.FPDF_GetMetaText(doc, tag, units.as_mut_ptr() as *mut c_void, size as _) };
    let text = String::from_utf16_lossy(&units[..units.len() - 1]);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Converts a PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year optional)
/// to ISO-8601 (`YYYY-MM-DDTHH:mm:SS+HH:mm`, `Z` for UTC); `None` when it is not a PDF date.
pub fn pdf_date_to_iso(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 4 || digits % 2 != 0 {
        return None;
    }
    let (num, rest) = s.split_at(digits.min(14));
    let mut iso = num[..4].to_owned();
    for (i, sep) in [(4, "-"), (6, "-"), (8, "T"), (10, ":"), (12, ":")] {
        if num.len() > i {
            iso.push_str(sep);
            iso.push_str(&num[i..i + 2]);
        }
    }
    if num.len() >= 12 {
        if num.len() == 12 {
            iso.push_str(":00");
        }
        let rest = rest.trim_end_matches('\'');
        match rest.chars().next() {
            Some('Z') => iso.push('Z'),
            Some(sign @ ('+' | '-')) => {
                let tz: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
                if tz.len() >= 2 {
                    let minutes = if tz.len() >= 4 { &tz[2..4] } else { "00" };
                    iso.push_str(&format!("{sign}{}:{minutes}", &tz[..2]));
                }
            }
            _ => {}
        }
    }
    Some(iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_iso_8601() {
        assert_eq!(
            pdf_date_to_iso("D:20230115093000+01'00'").as_deref(),
            Some("2023-01-15T09:30:00+01:00")
        );
        assert_eq!(
            pdf_date_to_iso("D:20230115093000Z").as_deref(),
            Some("2023-01-15T09:30:00Z")
        );
        assert_eq!(pdf_date_to_iso("D:199812").as_deref(), Some("1998-12"));
        assert_eq!(
            pdf_date_to_iso("D:202301150930").as_deref(),
            Some("2023-01-15T09:30:00")
        );
        assert_eq!(pdf_date_to_iso("yesterday"), None);
    }

    #[test]
    fn password_with_nul_is_invalid_argument_before_pdfium_is_touched() {
        let config = Config {
            password: Some("a\0b".to_owned()),
            ..Config::DEFAULT
        };
        let err = extract(b"%PDF-1.7", &config).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::InvalidArgument);
    }

    #[test]
    fn line_ends_are_normalised() {
        let units: Vec<u16> = "a\r\nb\rc\nd".encode_utf16().collect();
        let mut s = String::new();
        push_utf16_lines(&mut s, &units);
        assert_eq!(s, "a\nb\nc\nd");
    }
}
