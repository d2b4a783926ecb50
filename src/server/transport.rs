//! The protocol's framing: `Content-Length` headers, then a JSON body.
//!
//! Read leniently: a bad header or a body that is not a message is reported to the server
//! (which answers with a JSON-RPC error) and reading goes on with the next frame. Only the end
//! of the input, or a read error, ends it.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;

/// The largest body read; a longer one is skipped, so a bad length cannot exhaust memory.
pub const MAX_BODY: usize = 256 << 20;

/// What one frame of input held.
#[derive(Debug)]
pub enum Frame {
    /// A body, not yet parsed.
    Body(Vec<u8>),
    /// Headers without a usable `Content-Length`, or a body too long: why.
    Malformed(FrameError),
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the input ended inside a header")]
    EndedInHeader,
    #[error("a frame without Content-Length")]
    NoLength,
    #[error("bad Content-Length `{value}`: {source}")]
    BadLength {
        value: String,
        source: std::num::ParseIntError,
    },
    /// A header line without a colon (shortened to 60 characters).
    #[error("malformed header `{0}`")]
    BadHeader(String),
    #[error("a body of {0} bytes (at most {MAX_BODY} are read)")]
    TooLong(usize),
    /// The input ended `got` bytes into a body of `length`.
    #[error("the input ended {got} bytes into a body of {length}")]
    Truncated { got: usize, length: usize },
}

/// Reads the next frame; `None` at the end of the input.
pub fn read_frame(r: &mut dyn BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, FrameError>> = None;
    let mut line = Vec::new();
    let mut any_header = false;
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Ok(if any_header {
                Some(Frame::Malformed(FrameError::EndedInHeader))
            } else {
                None
            });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !any_header {
                // Blank lines between frames.
                continue;
            }
            break;
        }
        any_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(value.trim().parse::<usize>().map_err(|source| FrameError::BadLength {
                    value: value.trim().to_string(),
                    source,
                }));
            }
            Some(_) => {}
            None => {
                length = Some(Err(FrameError::BadHeader(shorten(text))));
            }
        }
    }
    match length {
        None => Ok(Some(Frame::Malformed(FrameError::NoLength))),
        Some(Err(e)) => Ok(Some(Frame::Malformed(e))),
        Some(Ok(n)) if n > MAX_BODY => {
            io::copy(&mut r.take(n as u64), &mut io::sink())?;
            Ok(Some(Frame::Malformed(FrameError::TooLong(n))))
        }
        Some(Ok(n)) => {
            let mut body = Vec::with_capacity(n);
            r.take(n as u64).read_to_end(&mut body)?;
            if body.len() < n {
                return Ok(Some(Frame::Malformed(FrameError::Truncated {
                    got: body.len(),
                    length: n,
                })));
            }
            Ok(Some(Frame::Body(body)))
        }
    }
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// A message to the client.
#[derive(Debug)]
pub enum Outgoing {
    Message(Message),
    /// An error answering something that had no usable id (JSON-RPC's `"id": null`).
    Error {
        code: i32,
        message: String,
    },
}

impl Outgoing {
    pub fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Outgoing::Message(m) => {
                let mut buf = Vec::new();
                m.write(&mut buf)?;
                w.write_all(&buf)
            }
            Outgoing::Error { code, message } => {
                let body = serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": { "code": code, "message": message },
                })
                .to_string();
                write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<String> {
        let mut r = input;
        let mut out = Vec::new();
        while let Some(f) = read_frame(&mut r).unwrap() {
            out.push(match f {
                Frame::Body(b) => String::from_utf8_lossy(&b).into_owned(),
                Frame::Malformed(e) => format!("!{e}"),
            });
        }
        out
    }

    #[test]
    fn bad_frames_are_reported_and_reading_goes_on() {
        let input = b"Content-Length: 2\r\n\r\n{}garbage\r\n\r\nContent-Length: x\r\n\r\nContent-Type: a\r\n\r\nContent-Length: 4\r\n\r\nnull\r\n\r\nContent-Length: 9\r\n\r\nabc";
        let got = frames(input);
        assert_eq!(got[0], "{}");
        assert!(got[1].starts_with("!malformed header"), "{got:?}");
        assert!(got[2].starts_with("!bad Content-Length"), "{got:?}");
        assert!(got[3].starts_with("!a frame without"), "{got:?}");
        assert_eq!(got[4], "null");
        assert!(got[5].starts_with("!the input ended"), "{got:?}");
        assert_eq!(got.len(), 6);
    }
}
