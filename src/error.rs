//! Why a file could not be checked, fixed or written: the typed errors of the per-file
//! pipeline (the `api` module), kept in each file's report (`output::FileReport`).

use crate::engine::EngineError;
use crate::formats::FormatError;
use crate::input::ReadError;
use crate::write::WriteError;

/// What went wrong with one file. Its message is what the command line prints after the path.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// It could not be read as text (missing, unreadable, binary, not UTF-8).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// It is not well-formed in its format (an XLIFF or PO file that does not parse).
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The rules for its language do not compile.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The fixed text could not be written back.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// It was found but is no file to check (a FIFO, a directory that cannot be walked).
    #[error("{0}")]
    Input(String),
}
