//! `mtlint server`: a language server over standard input and output.
//!
//! One thread reads frames ([`transport`]); the main thread owns a [`Server`], hands it each
//! frame and writes what it answers. Open texts are checked with the library path the command
//! line uses ([`crate::api::Linter`] over the profile of the nearest config file), so an
//! editor shows the findings `mtlint check` gives the saved file. Checks wait until the
//! client has been quiet for [`DEBOUNCE`] after a change; opening and saving check at once.
//!
//! [`Server`] does no I/O of its own besides reading config and rule files, so tests and the
//! fuzz target drive it in-process ([`run_session`]).

pub mod text;
pub mod transport;

use std::collections::{BTreeSet, HashMap};
use std::io::{self, BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticRelatedInformation, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    Hover, HoverContents, HoverParams, HoverProviderCapability, InitializeParams, InitializeResult, Location,
    MarkupContent, MarkupKind, NumberOrString, Position, PublishDiagnosticsParams, Range, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};
use serde::de::DeserializeOwned;

use crate::api::{Checked, Linter};
use crate::config::{self, ConfigError, Overrides, Profile};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::fix::smallest_edit;
use crate::formats::InputFormat;
use text::{Encoding, Lines};
use transport::{Frame, Outgoing};

/// How long the client must be quiet after a change before the text is checked: long enough
/// to gather a burst of changes (a paste, an editor's multi-cursor edit, a fast typist's
/// keystrokes arrive within a few milliseconds of each other), short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// An open document of twice this size or more is checked in parts on every core, so a
/// large one's findings come back sooner after an edit (the command line splits only
/// documents of megabytes, since it has other files to give the cores).
const SPLIT_AT: usize = 64 * 1024;

/// The code action kind of "fix all safe problems".
pub const FIX_ALL: &str = "source.fixAll.mtlint";

/// The command line's linting options, applied to every file the server checks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--config`: this config for every file instead of the nearest one.
    pub config: Option<PathBuf>,
    /// `--rules`, `--lang`, `--select`, `--ignore`…
    pub overrides: Overrides,
    /// `--input-format`: read every file as this format.
    pub input_format: Option<InputFormat>,
}

/// Runs the server on standard input and output until the client says `exit` or closes the
/// input; returns the exit status (1 when the client exits without `shutdown`).
pub fn run(options: Options) -> io::Result<u8> {
    let (tx, rx) = mpsc::channel::<Frame>();
    std::thread::Builder::new()
        .name("mtlint-server-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            // A read error ends the input, as its end does.
            while let Ok(Some(frame)) = transport::read_frame(&mut input) {
                if tx.send(frame).is_err() {
                    break;
                }
            }
        })?;
    let mut server = Server::new();
    server.options = options;
    let stdout = io::stdout();
    loop {
        let received = match server.next_deadline() {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(frame) => Some(frame),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
            None => match rx.recv() {
                Ok(frame) => Some(frame),
                Err(_) => break,
            },
        };
        if let Some(frame) = received {
            server.receive(frame);
        }
        server.check_due(Instant::now());
        let mut out = stdout.lock();
        for msg in server.take_outbox() {
            msg.write(&mut out)?;
        }
        out.flush()?;
        if let Some(code) = server.exit_code() {
            return Ok(code);
        }
    }
    Ok(server.exit_code().unwrap_or(1))
}

/// Profiles loaded by a server, by config file (`None`: no config), kept between in-process
/// sessions so that each does not load and compile the rules again.
#[derive(Default)]
pub struct ProfileCache(HashMap<Option<PathBuf>, Result<Arc<Profile>, LoadFailure>>);

/// Feeds `input` (framed messages) to a server in-process, checking every pending text after
/// each message as if the client had paused, and returns what the server sent: the fuzz
/// target's way in. Panics are not caught here, so a fuzzer sees them.
pub fn run_session(input: &[u8], profiles: &mut ProfileCache) -> Vec<Outgoing> {
    let mut server = Server::new();
    server.catch_panics = false;
    std::mem::swap(&mut server.profiles, profiles);
    let mut r: &[u8] = input;
    let mut out = Vec::new();
    while let Ok(Some(frame)) = transport::read_frame(&mut r as &mut dyn BufRead) {
        server.receive(frame);
        server.check_due(Instant::now() + DEBOUNCE);
        out.extend(server.take_outbox());
        if server.exit_code().is_some() {
            break;
        }
    }
    std::mem::swap(&mut server.profiles, profiles);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// An open text.
struct OpenDoc {
    uri: Uri,
    text: String,
    version: i32,
    language_id: String,
    /// The last check, if it was of the current text.
    checked: Option<Results>,
}

/// A check's findings with what they were found with.
struct Results {
    checked: Checked,
    linter: Linter,
    path: Option<String>,
}

/// Why a config could not be loaded, and the file and place to show it at.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    /// What is wrong, shown at the place.
    message: String,
    /// The same with the file, line and column, shown on the documents the config governs.
    located: String,
    at: Option<(PathBuf, usize, usize)>,
}

/// The language server's state: open texts, profiles by config file, pending checks.
pub struct Server {
    phase: Phase,
    encoding: Encoding,
    docs: HashMap<String, OpenDoc>,
    /// Profiles by config file, loaded on first use.
    profiles: ProfileCache,
    /// Config and rule files a load error was published on, to clear after a reload.
    flagged_files: BTreeSet<String>,
    /// When each text with changes is due to be checked.
    due: HashMap<String, Instant>,
    folders: Vec<PathBuf>,
    watch_dynamically: bool,
    next_id: i32,
    outbox: Vec<Outgoing>,
    exit: Option<u8>,
    options: Options,
    /// Whether a panic while handling a message is answered as an internal error instead of
    /// ending the server.
    pub catch_panics: bool,
}

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

type Failure = (ErrorCode, String);

/// Why a notification could not be handled; logged to the client, as a notification has no
/// answer.
#[derive(Debug, thiserror::Error)]
enum ServerError {
    /// Handling the method (named) panicked.
    #[error("mtlint failed while handling `{0}`")]
    Panicked(String),
    /// Its params are not what the method takes.
    #[error("bad params: {0}")]
    Params(#[source] serde_json::Error),
    /// A change to a document (its URI) that is not open.
    #[error("{0} is not open")]
    NotOpen(String),
    /// A change to the open document at `uri` that does not fit its text.
    #[error("{uri}: a change was not applied: {source}")]
    Change { uri: String, source: text::PositionError },
}

impl Server {
    pub fn new() -> Server {
        Server {
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            docs: HashMap::new(),
            profiles: ProfileCache::default(),
            flagged_files: BTreeSet::new(),
            due: HashMap::new(),
            folders: Vec::new(),
            watch_dynamically: false,
            next_id: 0,
            outbox: Vec::new(),
            exit: None,
            options: Options::default(),
            catch_panics: true,
        }
    }

    /// The status to exit with once the client said `exit`.
    pub fn exit_code(&self) -> Option<u8> {
        self.exit
    }

    pub fn take_outbox(&mut self) -> Vec<Outgoing> {
        std::mem::take(&mut self.outbox)
    }

    /// The earliest time a pending check is due.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// Handles one frame of input.
    pub fn receive(&mut self, frame: Frame) {
        let body = match frame {
            Frame::Body(b) => b,
            Frame::Malformed(why) => {
                return self.outbox.push(Outgoing::Error {
                    code: ErrorCode::ParseError as i32,
                    message: why.to_string(),
                })
            }
        };
        let value: serde_json::Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return self.outbox.push(Outgoing::Error {
                    code: ErrorCode::ParseError as i32,
                    message: format!("the body is not JSON: {e}"),
                })
            }
        };
        let id = value.get("id").cloned();
        let msg: Message = match serde_json::from_value(value) {
            Ok(m) => m,
            Err(e) => {
                let message = format!("not a JSON-RPC request, response or notification: {e}");
                let code = ErrorCode::InvalidRequest as i32;
                // Answer with the id when it is a usable one.
                match id.and_then(|i| serde_json::from_value::<RequestId>(i).ok()) {
                    Some(id) => self.respond(Response::new_err(id, code, message)),
                    None => self.outbox.push(Outgoing::Error { code, message }),
                }
                return;
            }
        };
        self.handle(msg);
    }

    /// Handles one message.
    pub fn handle(&mut self, msg: Message) {
        match msg {
            Message::Request(req) => {
                let id = req.id.clone();
                let method = req.method.clone();
                let result = if self.catch_panics {
                    catch_unwind(AssertUnwindSafe(|| self.request(req))).unwrap_or_else(|_| {
                        Err((
                            ErrorCode::InternalError,
                            format!("mtlint failed while handling `{method}`"),
                        ))
                    })
                } else {
                    self.request(req)
                };
                let response = match result {
                    Ok(value) => Response {
                        id,
                        response_result: Ok(value),
                    },
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                self.respond(response);
            }
            Message::Notification(not) => {
                let method = not.method.clone();
                let result = if self.catch_panics {
                    catch_unwind(AssertUnwindSafe(|| self.notification(not)))
                        .unwrap_or_else(|_| Err(ServerError::Panicked(method.clone())))
                } else {
                    self.notification(not)
                };
                if let Err(e) = result {
                    self.log(lsp_types::MessageType::ERROR, format!("{method}: {e}"));
                }
            }
            // Answers to our own requests (the file watcher registration): nothing to do.
            Message::Response(_) => {}
        }
    }

    fn respond(&mut self, response: Response) {
        self.outbox.push(Outgoing::Message(Message::Response(response)));
    }

    fn notify<N: lsp_types::notification::Notification>(&mut self, params: N::Params) {
        let params = serde_json::to_value(params).unwrap_or_default();
        self.outbox
            .push(Outgoing::Message(Message::Notification(Notification::new(
                N::METHOD.to_string(),
                params,
            ))));
    }

    fn log(&mut self, typ: lsp_types::MessageType, message: String) {
        self.notify::<notification::LogMessage>(lsp_types::LogMessageParams { typ, message });
    }

    fn request(&mut self, req: Request) -> Result<serde_json::Value, Failure> {
        let method = req.method.as_str();
        match (self.phase, method) {
            (Phase::Uninitialized, request::Initialize::METHOD) => {
                let params: InitializeParams = params(req.params)?;
                to_json(self.initialize(params))
            }
            (Phase::Uninitialized, _) => Err((
                ErrorCode::ServerNotInitialized,
                format!("`{method}` before `initialize`"),
            )),
            (Phase::ShutDown, _) => Err((ErrorCode::InvalidRequest, format!("`{method}` after `shutdown`"))),
            (Phase::Running, request::Initialize::METHOD) => {
                Err((ErrorCode::InvalidRequest, "`initialize` was sent twice".into()))
            }
            (Phase::Running, request::Shutdown::METHOD) => {
                self.phase = Phase::ShutDown;
                Ok(serde_json::Value::Null)
            }
            (Phase::Running, request::CodeActionRequest::METHOD) => {
                let p: CodeActionParams = params(req.params)?;
                to_json(self.code_actions(p)?)
            }
            (Phase::Running, request::HoverRequest::METHOD) => {
                let p: HoverParams = params(req.params)?;
                to_json(self.hover(p)?)
            }
            (Phase::Running, _) => Err((ErrorCode::MethodNotFound, format!("mtlint does not handle `{method}`"))),
        }
    }

    fn notification(&mut self, not: Notification) -> Result<(), ServerError> {
        let method = not.method.as_str();
        if method == notification::Exit::METHOD {
            self.exit = Some(if self.phase == Phase::ShutDown { 0 } else { 1 });
            return Ok(());
        }
        if self.phase != Phase::Running {
            // Before `initialize` every notification but `exit` is dropped, as the protocol says.
            return Ok(());
        }
        let p = not.params;
        match method {
            notification::Initialized::METHOD => self.register_watchers(),
            notification::DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = notification_params(p)?;
                let key = p.text_document.uri.as_str().to_string();
                self.docs.insert(
                    key.clone(),
                    OpenDoc {
                        uri: p.text_document.uri,
                        text: p.text_document.text,
                        version: p.text_document.version,
                        language_id: p.text_document.language_id,
                        checked: None,
                    },
                );
                self.due.insert(key, Instant::now());
            }
            notification::DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = notification_params(p)?;
                let key = p.text_document.uri.as_str();
                let Some(doc) = self.docs.get_mut(key) else {
                    return Err(ServerError::NotOpen(key.to_string()));
                };
                doc.checked = None;
                doc.version = p.text_document.version;
                let applied = text::apply_changes(&mut doc.text, p.content_changes, self.encoding);
                self.due.insert(key.to_string(), Instant::now() + DEBOUNCE);
                applied.map_err(|source| ServerError::Change {
                    uri: key.to_string(),
                    source,
                })?;
            }
            notification::DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams = notification_params(p)?;
                let key = p.text_document.uri.as_str();
                if let Some(doc) = self.docs.get_mut(key) {
                    if let Some(text) = p.text {
                        if text != doc.text {
                            doc.text = text;
                            doc.checked = None;
                        }
                    }
                    if doc.checked.is_none() {
                        self.due.insert(key.to_string(), Instant::now());
                    }
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = notification_params(p)?;
                let key = p.text_document.uri.as_str();
                self.due.remove(key);
                if self.docs.remove(key).is_some() {
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let p: DidChangeWatchedFilesParams = notification_params(p)?;
                let touches_config = p.changes.iter().any(|c| {
                    uri_path(&c.uri).is_some_and(|path| {
                        path.extension().is_some_and(|e| e == "toml")
                            || config::CONFIG_NAMES
                                .iter()
                                .any(|n| path.file_name().is_some_and(|f| f == *n))
                    })
                });
                if touches_config {
                    self.reload();
                }
            }
            notification::DidChangeWorkspaceFolders::METHOD => {
                let p: DidChangeWorkspaceFoldersParams = notification_params(p)?;
                for gone in p.event.removed.iter().filter_map(|f| uri_path(&f.uri)) {
                    self.folders.retain(|f| *f != gone);
                }
                self.folders
                    .extend(p.event.added.iter().filter_map(|f| uri_path(&f.uri)));
            }
            // Others (`$/cancelRequest`, `workspace/didChangeConfiguration`, …) need nothing.
            _ => {}
        }
        Ok(())
    }

    fn initialize(&mut self, p: InitializeParams) -> InitializeResult {
        self.encoding = Encoding::negotiate(
            p.capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        self.watch_dynamically = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        #[allow(deprecated)] // `rootUri` is what clients without workspace folders send.
        let root = p.root_uri.as_ref();
        self.folders = match &p.workspace_folders {
            Some(f) => f.iter().filter_map(|f| uri_path(&f.uri)).collect(),
            None => root.and_then(uri_path).into_iter().collect(),
        };
        self.phase = Phase::Running;
        let capabilities = ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            })),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
                ..CodeActionOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(lsp_types::OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..ServerCapabilities::default()
        };
        InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "mtlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    /// Asks the client to tell us when config and rule files change.
    fn register_watchers(&mut self) {
        if !self.watch_dynamically {
            return;
        }
        let watchers = ["**/mtlint.toml", "**/.mtlint.toml", "**/*.toml"]
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "mtlint-config-files".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let req = Request::new(
            RequestId::from(format!("mtlint-{}", self.next_id)),
            request::RegisterCapability::METHOD.into(),
            params,
        );
        self.outbox.push(Outgoing::Message(Message::Request(req)));
    }

    /// Forgets every loaded profile, clears the load errors shown on config and rule files and
    /// checks every open text again.
    fn reload(&mut self) {
        self.profiles.0.clear();
        for file in std::mem::take(&mut self.flagged_files) {
            if let Ok(uri) = Uri::from_str(&file) {
                self.publish(uri, Vec::new(), None);
            }
        }
        let now = Instant::now();
        for (key, doc) in &mut self.docs {
            doc.checked = None;
            self.due.insert(key.clone(), now);
        }
    }

    /// Checks every text due by `now`.
    pub fn check_due(&mut self, now: Instant) {
        let mut ready: Vec<String> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(k, _)| k.clone())
            .collect();
        ready.sort();
        for key in ready {
            self.due.remove(&key);
            if self.catch_panics {
                if catch_unwind(AssertUnwindSafe(|| self.check(&key))).is_err() {
                    self.log(
                        lsp_types::MessageType::ERROR,
                        format!("mtlint failed while checking {key}"),
                    );
                }
            } else {
                self.check(&key);
            }
        }
    }

    /// Makes sure the findings of `key` are those of its current text.
    fn ensure_checked(&mut self, key: &str) {
        if self.docs.get(key).is_some_and(|d| d.checked.is_none()) {
            self.due.remove(key);
            self.check(key);
        }
    }

    /// The profile for a text at `path` (`None`: a text without a file): that of the nearest
    /// config file, as the command line finds it.
    fn profile_for(&mut self, path: Option<&Path>) -> Result<Arc<Profile>, LoadFailure> {
        let dir = match path {
            Some(p) => p.parent().map(Path::to_path_buf),
            None => self.folders.first().cloned(),
        };
        let config = match &self.options.config {
            Some(c) => Some(c.clone()),
            None => dir.and_then(|d| config::discover(&d)),
        };
        if let Some(p) = self.profiles.0.get(&config) {
            return p.clone();
        }
        let loaded = Profile::load(config.as_deref(), &self.options.overrides)
            .map(Arc::new)
            .map_err(|e| failure(e, config.as_deref()));
        if let Err(f) = &loaded {
            self.flag_file(f);
        }
        self.profiles.0.insert(config, loaded.clone());
        loaded
    }

    /// Publishes a load error on the file it is in.
    fn flag_file(&mut self, f: &LoadFailure) {
        let Some((path, line, column)) = &f.at else {
            return;
        };
        let Some(uri) = path_uri(path) else {
            return;
        };
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let lines = Lines::new(&source, self.encoding);
        let start = line_column_offset(&source, *line, *column);
        let end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let diagnostic = lsp_types::Diagnostic {
            range: Range::new(lines.position(start), lines.position(end.max(start))),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("mtlint".into()),
            message: f.message.clone(),
            ..lsp_types::Diagnostic::default()
        };
        self.flagged_files.insert(uri.as_str().to_string());
        self.publish(uri, vec![diagnostic], None);
    }

    /// Checks the open text `key` and publishes its findings.
    fn check(&mut self, key: &str) {
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let path = uri_path(&doc.uri);
        let (uri, version, language_id) = (doc.uri.clone(), doc.version, doc.language_id.clone());
        let profile = match self.profile_for(path.as_deref()) {
            Ok(p) => p,
            Err(f) => {
                let message = format!(
                    "mtlint cannot check this file: its configuration does not load: {}",
                    f.located
                );
                return self.publish(uri, vec![whole_file_error(message)], Some(version));
            }
        };
        let format = match &path {
            _ if self.options.input_format.is_some() => self.options.input_format,
            Some(_) => None,
            None => format_of_language(&language_id),
        };
        let linter = Linter::with_profile(profile, format).split_at(SPLIT_AT);
        let display = path.as_ref().map(|p| p.display().to_string());
        let Some(doc) = self.docs.get_mut(key) else {
            return;
        };
        match linter.check(doc.text.clone(), display.as_deref()) {
            Ok(mut checked) => {
                // A config's baseline hides the findings it records, as `mtlint check` does;
                // the fixes offered then leave them alone, as `mtlint fix` does.
                let mut baseline_error = None;
                if let (Some(file), Some(path)) = (linter.profile().baseline.as_deref(), path.as_deref()) {
                    match crate::baseline::Baseline::load(file) {
                        Ok(b) => {
                            let found = std::mem::take(&mut checked.diagnostics);
                            let key = crate::baseline::path_key(file, path);
                            checked.diagnostics = b.matches(&key, &checked.document.text, found).new;
                        }
                        Err(e) => baseline_error = Some(format!("mtlint cannot apply the baseline: {e}")),
                    }
                }
                let lines = Lines::new(&checked.document.text, self.encoding);
                let mut diagnostics: Vec<_> = checked.diagnostics.iter().map(|d| to_lsp(d, &lines, &uri)).collect();
                diagnostics.extend(baseline_error.map(whole_file_error));
                doc.checked = Some(Results {
                    checked,
                    linter,
                    path: display,
                });
                self.publish(uri, diagnostics, Some(version));
            }
            Err(e) => {
                let message = format!("mtlint cannot read this file: {e}");
                self.publish(uri, vec![whole_file_error(message)], Some(version));
            }
        }
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Result<Vec<CodeActionOrCommand>, Failure> {
        let key = p.text_document.uri.as_str().to_string();
        self.ensure_checked(&key);
        let Some(results) = self.docs.get(&key).and_then(|d| d.checked.as_ref()) else {
            return Ok(Vec::new());
        };
        let uri = &p.text_document.uri;
        let text = &results.checked.document.text;
        let lines = Lines::new(text, self.encoding);
        let wanted = lines
            .span(p.range)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let wants = |kind: &str| {
            p.context
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|o| kind_covers(o.as_str(), kind)))
        };
        let mut actions = Vec::new();
        let here = results
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.span.start <= wanted.end && wanted.start <= d.span.end);
        for d in here {
            let lsp = to_lsp(d, &lines, uri);
            if let Some(fix) = d.fix.as_ref().filter(|f| f.applicability != Applicability::DisplayOnly) {
                if wants(CodeActionKind::QUICKFIX.as_str()) {
                    let edits = fix
                        .edits
                        .iter()
                        .map(|e| TextEdit::new(lines.range(e.span), e.replacement.clone()))
                        .collect();
                    let safe = fix.applicability == Applicability::Safe;
                    actions.push(CodeAction {
                        title: fix_title(d, fix, text),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![lsp.clone()]),
                        edit: Some(edit_of(uri, edits)),
                        is_preferred: Some(safe),
                        ..CodeAction::default()
                    });
                }
            }
            if results.checked.document.format == InputFormat::Markdown && wants(CodeActionKind::QUICKFIX.as_str()) {
                let (at, line) = suppression_line(text, d.span.start, d.rule_id());
                let pos = lines.position(at);
                actions.push(CodeAction {
                    title: format!("Ignore {} on this line", d.rule_id()),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp]),
                    edit: Some(edit_of(uri, vec![TextEdit::new(Range::new(pos, pos), line)])),
                    ..CodeAction::default()
                });
            }
        }
        let has_safe = results
            .checked
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe));
        if has_safe && wants(FIX_ALL) {
            if let Ok(fixed) = results.linter.fix(text.clone(), results.path.as_deref(), false) {
                if let Some(edit) = smallest_edit(text, &fixed.document.text) {
                    let total: usize = fixed.applied.values().sum();
                    actions.push(CodeAction {
                        title: format!("Fix all safe problems in this file ({total})"),
                        kind: Some(CodeActionKind::new(FIX_ALL)),
                        edit: Some(edit_of(
                            uri,
                            vec![TextEdit::new(lines.range(edit.0), edit.1.to_string())],
                        )),
                        ..CodeAction::default()
                    });
                }
            }
        }
        Ok(actions.into_iter().map(CodeActionOrCommand::CodeAction).collect())
    }

    fn hover(&mut self, p: HoverParams) -> Result<Option<Hover>, Failure> {
        let key = p.text_document_position_params.text_document.uri.as_str().to_string();
        self.ensure_checked(&key);
        let Some(results) = self.docs.get(&key).and_then(|d| d.checked.as_ref()) else {
            return Ok(None);
        };
        let lines = Lines::new(&results.checked.document.text, self.encoding);
        let at = lines
            .offset(p.text_document_position_params.position)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let found: Vec<&Diagnostic> = results
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.span.start <= at && at <= d.span.end)
            .collect();
        let Some(first) = found.first() else {
            return Ok(None);
        };
        let mut seen = BTreeSet::new();
        let mut text = Vec::new();
        for d in &found {
            if !seen.insert(d.rule_id()) {
                continue;
            }
            if !text.is_empty() {
                text.extend_from_slice(b"\n\n");
            }
            let explained = crate::output::explain::explain(
                results.linter.profile().all_rules(),
                d.rule_id(),
                &mut text,
                anstyle::Style::new(),
            )
            .map_err(|e| (ErrorCode::InternalError, e.to_string()))?;
            if !explained {
                let _ = write!(text, "{}: {}", d.rule_id(), d.message);
            }
        }
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::PlainText,
                value: String::from_utf8_lossy(&text).trim_end().to_string(),
            }),
            range: Some(lines.range(first.span)),
        }))
    }
}

fn params<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, format!("bad params: {e}")))
}

fn notification_params<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ServerError> {
    serde_json::from_value(value).map_err(ServerError::Params)
}

fn to_json<T: serde::Serialize>(value: T) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// Whether a requested kind (`source`, `source.fixAll`, `quickfix`…) covers `kind`.
fn kind_covers(requested: &str, kind: &str) -> bool {
    kind == requested || kind.strip_prefix(requested).is_some_and(|rest| rest.starts_with('.'))
}

fn failure(e: ConfigError, config: Option<&Path>) -> LoadFailure {
    // The first line: the place and the message, without the quoted source line.
    let message = e.to_string().lines().next().unwrap_or_default().to_string();
    match e {
        ConfigError::Source(s) => LoadFailure {
            message: s.message.clone(),
            located: message,
            at: Some((s.path.clone(), s.line, s.column)),
        },
        _ => LoadFailure {
            located: message.clone(),
            message,
            at: config.map(|c| (c.to_path_buf(), 1, 1)),
        },
    }
}

/// Byte offset of 1-based `line` and `column` (in characters) in `source`, clamped.
fn line_column_offset(source: &str, line: usize, column: usize) -> usize {
    let start = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = &source[start..];
    let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

fn whole_file_error(message: String) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("mtlint".into()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

fn to_lsp(d: &Diagnostic, lines: &Lines<'_>, uri: &Uri) -> lsp_types::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: lines.range(d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule_id().to_string())),
        source: Some("mtlint".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

fn edit_of(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// A quick fix's title: what it changes, and "(unsafe)" when it needs a human eye.
fn fix_title(d: &Diagnostic, fix: &Fix, text: &str) -> String {
    let span = fix.span();
    let before = span.text(text);
    let after = fix.preview(text, span);
    let what = match (before.is_empty(), after.is_empty()) {
        (true, _) => format!("insert “{}”", shown(&after)),
        (false, true) => format!("delete “{}”", shown(before)),
        (false, false) => format!("replace “{}” with “{}”", shown(before), shown(&after)),
    };
    let unsafe_note = if fix.applicability == Applicability::Unsafe {
        " (unsafe)"
    } else {
        ""
    };
    format!("{}: {what}{unsafe_note}", d.rule_id())
}

/// `s` for a title: on one line, at most 40 characters.
fn shown(s: &str) -> String {
    let one_line: String = s.chars().map(|c| if c == '\n' { '⏎' } else { c }).collect();
    let mut out: String = one_line.chars().take(40).collect();
    if out.len() < one_line.len() {
        out.push('…');
    }
    out
}

/// Where to put a Markdown comment turning `rule` off for the line holding `offset`, and the
/// line to insert there (indented as that line is, so it stays in its list or block).
fn suppression_line(text: &str, offset: usize, rule: &str) -> (usize, String) {
    let start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    (start, format!("{indent}<!-- mtlint-disable-next-line {rule} -->{eol}"))
}

/// The format an untitled text is read as, from the editor's language id.
fn format_of_language(id: &str) -> Option<InputFormat> {
    match id {
        "markdown" => Some(InputFormat::Markdown),
        "xliff" => Some(InputFormat::Xliff),
        "po" | "gettext" => Some(InputFormat::Po),
        "tmx" => Some(InputFormat::Tmx),
        "tsv" => Some(InputFormat::Tsv),
        "plaintext" | "text" => Some(InputFormat::Text),
        _ => None,
    }
}

/// The path of a `file:` URI.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // An authority (host) before the path: only the local one is ours.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest[..i].eq_ignore_ascii_case("localhost") => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let decoded: &str = &decoded;
    #[cfg(windows)]
    let decoded = decoded
        .strip_prefix('/')
        .filter(|d| d.get(1..2) == Some(":"))
        .unwrap_or(decoded);
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_uri(path: &Path) -> Option<Uri> {
    let abs = std::path::absolute(path).ok()?;
    let s = abs.to_str()?.replace('\\', "/");
    let s = if s.starts_with('/') { s } else { format!("/{s}") };
    Uri::from_str(&format!(
        "file://{}",
        percent_encoding::utf8_percent_encode(&s, crate::output::sarif::PATH)
    ))
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a dir/中文 #1.md");
        let uri = path_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/%E4%B8%AD%E6%96%87%20%231.md");
        assert_eq!(uri_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_path(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
        assert_eq!(uri_path(&Uri::from_str("file://server/share/x.md").unwrap()), None);
    }

    #[test]
    fn requested_kinds_cover_their_sub_kinds() {
        assert!(kind_covers("source", FIX_ALL));
        assert!(kind_covers("source.fixAll", FIX_ALL));
        assert!(!kind_covers("source.fix", FIX_ALL));
        assert!(kind_covers("quickfix", "quickfix"));
    }

    #[test]
    fn a_suppression_line_is_indented_like_the_flagged_line() {
        let text = "- item\n  second  line\n";
        let (at, line) = suppression_line(text, text.find("line").unwrap(), "en/x");
        assert_eq!(at, 7);
        assert_eq!(line, "  <!-- mtlint-disable-next-line en/x -->\n");
    }
}
