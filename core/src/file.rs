//! Reading a document file: regular files only, never blocking, never more than
//! [`MAX_FILE_BYTES`].

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use crate::error::{ExtractionError, Result};

/// Largest file [`read`] takes (256 MiB): a bigger one is `LimitExceeded`, checked on its size
/// before reading and again while reading (a file of `/proc` says 0 bytes and may be endless).
/// The whole file is held in memory (pdfium reads a PDF from it). Not a `Config` field yet: the
/// same on every bridge (and in `bridgemark.config.MAX_FILE_BYTES` for pure_python).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of the regular file at `path`.
///
/// Opened non-blocking, so that a FIFO returns at once instead of waiting for a writer; any
/// file that is not regular is refused before a byte is read: `/dev/zero` and the like never end.
///
/// Errors: `NotFound`, `IsADirectory`, `PermissionDenied`, `Io` from the system;
/// `UnsupportedFormat` for a FIFO, a device or a socket; `LimitExceeded` above [`MAX_FILE_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let name = path.to_string_lossy();
    let io_error = |e: io::Error| ExtractionError::io(&e, &name);
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io_error)?;
    let meta = file.metadata().map_err(io_error)?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(io_error(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    if !kind.is_file() {
        let what = if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else {
            "a socket"
        };
        return Err(ExtractionError::unsupported(format!(
            "not a regular file ({what}): {name}"
        )));
    }
    let too_big =
        || ExtractionError::limit(format!("file larger than {MAX_FILE_BYTES} bytes: {name}"));
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    Read::take(&file as &File, MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn a_regular_file_is_read_whole() {
        let path = std::env::temp_dir().join(format!("bm-file-{}.bin", std::process::id()));
        std::fs::write(&path, b"PK\x03\x04abc").unwrap();
        assert_eq!(read(&path).unwrap(), b"PK\x03\x04abc");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_device_is_refused_before_any_read() {
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedFormat);
        assert!(e.message.contains("character device"), "{}", e.message);
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let path = std::env::temp_dir().join(format!("bm-fifo-{}", std::process::id()));
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(e.kind, ErrorKind::UnsupportedFormat);
        assert!(e.message.contains("FIFO"), "{}", e.message);
    }

    #[test]
    fn a_directory_is_is_a_directory() {
        assert_eq!(
            read(Path::new("/tmp")).unwrap_err().kind,
            ErrorKind::IsADirectory
        );
    }

    #[test]
    fn a_file_above_the_limit_is_refused_by_its_size() {
        let path = std::env::temp_dir().join(format!("bm-big-{}.bin", std::process::id()));
        let f = File::create(&path).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: nothing written, nothing read
        let e = read(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
    }
}
