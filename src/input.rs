//! Reading files as text: UTF-8 only, with clear errors for everything else.

use std::fmt;
use std::path::Path;

/// How much of a file is searched for a NUL byte to call it binary.
const BINARY_PROBE: usize = 8192;

#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Binary { offset: usize },
    Utf16,
    InvalidUtf8 { line: usize, column: usize, offset: usize },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {}", io_reason(e)),
            ReadError::Binary { offset } => {
                write!(f, "binary file (NUL byte at offset {offset}); not checked")
            }
            ReadError::Utf16 => write!(
                f,
                "UTF-16 text (byte order mark FF FE or FE FF); convert it to UTF-8 to check it"
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

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // Drop the "(os error N)" tail: the reason is enough.
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

/// Turns a file's bytes into text, or says exactly why not.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16);
    }
    if let Some(offset) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]) {
        return Err(ReadError::Binary { offset });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ReadError::InvalidUtf8 { line, column, offset }
    })
}

pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode(bytes)
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
        assert!(matches!(decode(vec![0xFF, 0xFE, b'a', 0]), Err(ReadError::Utf16)));
        assert_eq!(decode("\u{feff}é".as_bytes().to_vec()).unwrap(), "\u{feff}é");
    }
}
