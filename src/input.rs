//! Reading files as text: UTF-8 only, with clear errors for everything else.

use std::fmt;
use std::path::Path;

/// How much of a file is searched for a NUL byte to call it binary.
const BINARY_PROBE: usize = 8192;

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Binary {
        offset: usize,
    },
    /// UTF-16 or UTF-32 text, known by its byte order mark: named as `UTF-16LE` etc.
    WideUnicode {
        encoding: &'static str,
    },
    InvalidUtf8 {
        line: usize,
        column: usize,
        offset: usize,
    },
}

impl std::error::Error for ReadError {}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {}", io_reason(e)),
            ReadError::Binary { offset } => {
                write!(f, "binary file (NUL byte at offset {offset}); not checked")
            }
            ReadError::WideUnicode { encoding } => write!(
                f,
                "{encoding} text (by its byte order mark); not checked: convert it to UTF-8, e.g. `iconv -f {encoding} -t UTF-8`"
            ),
            ReadError::InvalidUtf8 { line, column, offset } => {
                write!(
                    f,
                    "invalid UTF-8 at line {line}, column {column} (byte offset {offset}); not checked"
                )
            }
        }
    }
}

/// The reason an I/O error gives, in lower case and without "(os error N)".
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidInput => e.to_string(),
        _ => {
            let s = e.to_string();
            // Drop the "(os error N)" tail: the reason is enough, in lower case like the others.
            let reason = s.split(" (os error").next().unwrap_or(&s);
            let mut chars = reason.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
        }
    }
}

/// Refuses what is not text at all: UTF-16 (by its byte order mark) and binary files.
fn refuse_non_text(bytes: &[u8]) -> Result<(), ReadError> {
    // Not decoded: spans are byte offsets into the file as read, and `fix` could not write the
    // file back in its own encoding. A clear refusal beats offsets that point elsewhere.
    let encoding = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32LE"),
        [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32BE"),
        [0xFF, 0xFE, ..] => Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE"),
        _ => None,
    };
    if let Some(encoding) = encoding {
        return Err(ReadError::WideUnicode { encoding });
    }
    if let Some(offset) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]) {
        return Err(ReadError::Binary { offset });
    }
    Ok(())
}

/// Line and column (1-based, columns in characters) of byte `offset`, which must follow
/// valid UTF-8.
fn place(valid: &[u8], offset: usize) -> (usize, usize) {
    let valid = std::str::from_utf8(&valid[..offset]).unwrap_or("");
    let line = memchr::memchr_iter(b'\n', valid.as_bytes()).count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Turns a file's bytes into text, or says exactly why not.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    refuse_non_text(&bytes)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = place(e.as_bytes(), offset);
        ReadError::InvalidUtf8 { line, column, offset }
    })
}

pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode(bytes)
}

/// Opens `path` for reading only if it is a regular file (after following symbolic links):
/// a FIFO, socket or device is refused with a clear error instead of blocking the run. The file
/// is opened without blocking and checked again by its open handle, so a file swapped for a
/// FIFO between the check and the open is refused too.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let not_regular = |kind: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a regular file ({kind}); only regular files are read"),
        )
    };
    let kind_of = |m: &std::fs::Metadata| -> Option<&'static str> {
        let t = m.file_type();
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some("a directory");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some("a FIFO");
            }
            if t.is_socket() {
                return Some("a socket");
            }
            if t.is_char_device() || t.is_block_device() {
                return Some("a device");
            }
        }
        Some("a special file")
    };
    if let Some(kind) = kind_of(&std::fs::metadata(path)?) {
        return Err(not_regular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if let Some(kind) = kind_of(&file.metadata()?) {
        return Err(not_regular(kind));
    }
    Ok(file)
}

/// Reads a whole regular file (see [`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What `--lossy` replaced in a file that was not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// Where the first invalid sequence was.
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    /// How many invalid sequences became U+FFFD.
    pub count: usize,
}

impl fmt::Display for Replaced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Replaced {
            line,
            column,
            offset,
            count,
        } = self;
        write!(
            f,
            "invalid UTF-8 at line {line}, column {column} (byte offset {offset}); {} replaced with U+FFFD (--lossy)",
            crate::sanitize::plural(*count, "invalid sequence", "invalid sequences")
        )
    }
}

/// Like [`decode`], but invalid UTF-8 is replaced with U+FFFD instead of refused, and what was
/// replaced is returned so it can be reported. Binary and UTF-16 files are still refused: their
/// text would be garbage, not a few bad bytes.
pub fn decode_lossy(bytes: Vec<u8>) -> Result<(String, Option<Replaced>), ReadError> {
    refuse_non_text(&bytes)?;
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e.into_bytes(),
    };
    let offset = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |_| bytes.len());
    let (line, column) = place(&bytes, offset);
    let count = bytes.utf8_chunks().filter(|c| !c.invalid().is_empty()).count();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok((
        text,
        Some(Replaced {
            line,
            column,
            offset,
            count,
        }),
    ))
}

/// Reads a file as text; with `lossy`, invalid UTF-8 is replaced (see [`decode_lossy`]).
pub fn read_text_with(path: &Path, lossy: bool) -> Result<(String, Option<Replaced>), ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    if lossy {
        decode_lossy(bytes)
    } else {
        decode(bytes).map(|t| (t, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_where() {
        let err = decode(b"ok\nab\xffcd".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at line 2, column 3 (byte offset 5); not checked"
        );
        assert!(matches!(decode(b"a\0b".to_vec()), Err(ReadError::Binary { offset: 1 })));
        assert_eq!(
            decode(vec![0xFF, 0xFE, b'a', 0]).unwrap_err().to_string(),
            "UTF-16LE text (by its byte order mark); not checked: convert it to UTF-8, e.g. `iconv -f UTF-16LE -t UTF-8`"
        );
        assert!(matches!(
            decode(vec![0, 0, 0xFE, 0xFF]),
            Err(ReadError::WideUnicode { encoding: "UTF-32BE" })
        ));
        assert_eq!(decode("\u{feff}é".as_bytes().to_vec()).unwrap(), "\u{feff}é");
    }

    #[test]
    fn lossy_replaces_and_reports() {
        let (text, replaced) = decode_lossy(b"ok\n\xc3\xa9a\xffb\xfe\xfe".to_vec()).unwrap();
        assert_eq!(text, "ok\néa\u{fffd}b\u{fffd}\u{fffd}");
        let r = replaced.unwrap();
        assert_eq!((r.line, r.column, r.offset, r.count), (2, 3, 6, 3));
        assert_eq!(
            r.to_string(),
            "invalid UTF-8 at line 2, column 3 (byte offset 6); 3 invalid sequences replaced with U+FFFD (--lossy)"
        );
        assert_eq!(decode_lossy(b"fine".to_vec()).unwrap(), ("fine".to_string(), None));
        assert!(matches!(
            decode_lossy(b"a\0b".to_vec()),
            Err(ReadError::Binary { offset: 1 })
        ));
    }
}
